package dev.cohort.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A stand-in for OpenAI behind {@link FakeOpenAiServer}, for measuring the spend estimate: it
 * answers each scripted round with turns of realistic, varying length (text of 20–90 words, a
 * thought of 5–25, words drawn independently from one passage, so two turns are the same text
 * with a chance below 10⁻³⁰), and each role-play call with its speaker's one turn of the same lengths; it
 * writes an unusable answer (a scripted round a turn short, a role-play turn without text) to 5 %
 * of first asks so the engine re-asks (each draw independent of the request's position: these are
 * the only re-asks it causes), and reports usage counted from the request itself with a tokenizer
 * proxy that is not the estimator's characters / 4: each run of letters is one token per 7 letters, each run of digits
 * one per 3, each other visible character one token, plus 3 per message and 3 per call, the
 * response format's schema included. The prompt cache follows OpenAI's rule: the longest token
 * prefix shared with an earlier request, if at least 1,024 tokens, rounded down to 128.
 */
final class FakeProvider implements Function<Recorded, Reply> {
  static final double BAD_ANSWER_RATE = 0.05;
  /** How both modes' prompts name who speaks next. */
  private static final String SPEAKERS = "Speakers, one per turn, in order: ";
  private static final String[] WORDS = ("I think the council should listen before it decides anything about"
      + " housing, because people here have waited years for a fair answer; my neighbours work two jobs,"
      + " pay rising rents and still cannot plan ahead. Honestly, what worries me most is transport:"
      + " without reliable buses, families simply cannot reach hospitals, schools or employment centres."
      + " Perhaps we could compromise, although frankly nobody trusts promises anymore.").split(" ");

  private final SplittableRandom random;
  private final boolean measuresPromptCache;
  private final List<int[]> seen = new ArrayList<>();

  /** One answer and the usage it reports. */
  record Completion(String text, int promptTokens, int completionTokens, int cachedTokens) {
    Reply reply() {
      return Reply.completion(text, "stop", promptTokens, completionTokens, cachedTokens);
    }
  }

  FakeProvider(long seed) {
    this(seed, true);
  }

  /**
   * @param measuresPromptCache whether cached prompt tokens are measured against every earlier
   *     request (a cost that grows with the requests seen; long runs that do not need it turn it off
   *     and report none)
   */
  FakeProvider(long seed, boolean measuresPromptCache) {
    this.random = new SplittableRandom(seed);
    this.measuresPromptCache = measuresPromptCache;
  }

  @Override
  public Reply apply(Recorded request) {
    return complete(request).reply();
  }

  /** Draws the answer to {@code request} and counts its usage. */
  synchronized Completion complete(Recorded request) {
    JsonNode body = request.json();
    JsonNode messages = body.path("messages");
    List<Integer> prompt = new ArrayList<>();
    for (JsonNode m : messages) {
      tokenize(m.path("content").asText(), prompt);
    }
    int promptTokens = prompt.size() + 3 * messages.size() + 3
        + count(body.path("response_format").path("json_schema").path("schema").toString());
    int[] tokens = prompt.stream().mapToInt(Integer::intValue).toArray();
    int shared = 0;
    if (measuresPromptCache) {
      for (int[] earlier : seen) {
        shared = Math.max(shared, commonPrefix(earlier, tokens));
      }
      seen.add(tokens);
    }
    int cached = shared < 1024 ? 0 : shared / 128 * 128;
    List<String> speakers = List.of();
    boolean firstAsk = true;
    for (JsonNode m : messages) {
      String content = m.path("content").asText();
      if (speakers.isEmpty() && content.contains(SPEAKERS)) {
        speakers = speakers(content);
      }
      firstAsk &= !"assistant".equals(m.path("role").asText());
    }
    if (speakers.isEmpty()) {
      throw new AssertionError("the prompt names no speakers: " + messages);
    }
    boolean bad = firstAsk && random.nextDouble() < BAD_ANSWER_RATE;
    // A role-play call asks for one speaker's turn in its own answer format, without a turns list.
    boolean roleplay = !body.path("response_format").path("json_schema").path("schema").path("properties")
        .has("turns");
    if (roleplay) {
      ObjectNode answer = FakeOpenAiServer.JSON.createObjectNode()
          .put("thought", prose(5 + random.nextInt(21)))
          .put("text", bad ? "" : prose(20 + random.nextInt(71)));
      String text = answer.toString();
      return new Completion(text, promptTokens, count(text), cached);
    }
    int turns = bad ? speakers.size() - 1 : speakers.size();
    ObjectNode answer = FakeOpenAiServer.JSON.createObjectNode();
    ArrayNode array = answer.putArray("turns");
    for (int i = 0; i < turns; i++) {
      array.addObject()
          .put("speaker", speakers.get(i))
          .put("thought", prose(5 + random.nextInt(21)))
          .put("text", prose(20 + random.nextInt(71)));
    }
    String text = answer.toString();
    return new Completion(text, promptTokens, count(text), cached);
  }

  /**
   * {@code words} words, each drawn on its own. (A window into the word list at a random start
   * gave only 64 × 71 different texts, so two turns of a simulation came out identical once in
   * 4,544 pairs; the engine re-asks a verbatim repeat, which added re-asks beyond the stated 5 %
   * that grew with the transcript's length.)
   */
  private String prose(int words) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return out.toString();
  }

  private static List<String> speakers(String user) {
    int at = user.indexOf(SPEAKERS);
    int end = user.indexOf('\n', at);
    try {
      JsonNode names = FakeOpenAiServer.JSON.readTree(user.substring(at + SPEAKERS.length(), end));
      List<String> out = new ArrayList<>();
      names.forEach(n -> out.add(n.asText()));
      return out;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The proxy token count of {@code text}. */
  static int count(String text) {
    List<Integer> tokens = new ArrayList<>();
    tokenize(text, tokens);
    return tokens.size();
  }

  private static void tokenize(String text, List<Integer> out) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || Character.isDigit(c)) {
        boolean letters = Character.isLetter(c);
        int piece = letters ? 7 : 3;
        int start = i;
        while (i < text.length() && (letters ? Character.isLetter(text.charAt(i)) : Character.isDigit(text.charAt(i)))
            && i - start < piece) {
          i++;
        }
        out.add(text.substring(start, i).hashCode());
      } else {
        out.add((int) c);
        i++;
      }
    }
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) {
      i++;
    }
    return i;
  }
}
