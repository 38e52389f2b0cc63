package dev.cohort.core.internal.simulation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads turns out of a model's answer: the JSON turn format bare or inside a code fence, else
 * {@code Name: text} paragraphs naming a participant.
 */
final class TurnParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The streaming reader's factory: Jackson's defaults, but its buffers recycled through one pool
   * shared by all threads. The default pool is per thread, and every simulation runs on a virtual
   * thread of its own, so each answer parsed on a new thread allocated fresh buffers (a third of
   * the streaming parse's time in a makespan profile).
   */
  private static final JsonFactory STREAMING = JsonFactory.builder()
      .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
  private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*\\n?(.*?)```", Pattern.DOTALL);
  private static final Pattern SPEAKER_LINE = Pattern.compile("^\\s*[*_\"]*([^:*_\"\\n]{1,120}?)[*_\"]*\\s*:[*_]{0,2}\\s*(.*)$");
  private static final Pattern THOUGHT = Pattern.compile("^\\*([^*]+)\\*\\s*(.*)$", Pattern.DOTALL);

  /** A turn as the model wrote it, speaker not yet checked. */
  record ParsedTurn(String speaker, @Nullable String thought, String text) {}

  private TurnParser() {}

  /**
   * The turns in {@code answer}, or an empty list when it has none in either format.
   *
   * @param participantNames the names a {@code Name: text} line may start with
   */
  static List<ParsedTurn> parse(String answer, List<String> participantNames) {
    List<ParsedTurn> fromJson = parseJson(answer);
    if (fromJson != null) {
      return fromJson;
    }
    return parseParagraphs(answer, participantNames);
  }

  /**
   * The one turn of a role-play answer: {@code {"thought","text"}} bare or inside a code fence,
   * spoken by {@code speaker} unless it names another {@code speaker}; else the first turn in the
   * scripted forms ({@code {"turns":[…]}} or a {@code Name: text} paragraph), with the speaker it
   * names. Null when the answer has none.
   */
  static @Nullable ParsedTurn parseOne(String answer, String speaker, List<String> participantNames) {
    JsonNode root = jsonObject(answer);
    if (root != null && root.path("text").isTextual()) {
      String named = root.path("speaker").isTextual() ? root.path("speaker").asText().strip() : "";
      return new ParsedTurn(named.isEmpty() ? speaker : named, thought(root), root.path("text").asText().strip());
    }
    List<ParsedTurn> turns = parse(answer, participantNames);
    return turns.isEmpty() ? null : turns.get(0);
  }

  /** The turns of the JSON answer, or null when it has no JSON object with a {@code turns} array. */
  static @Nullable List<ParsedTurn> parseJson(String answer) {
    String object = objectText(answer);
    if (object == null) {
      return null;
    }
    List<ParsedTurn> streamed = TurnsJsonReader.read(STREAMING, object);
    return streamed == TurnsJsonReader.UNUSUAL ? parseJsonTree(answer) : streamed;
  }

  /** The turns of the JSON answer read through Jackson's tree: what {@link TurnsJsonReader} must agree with. */
  static @Nullable List<ParsedTurn> parseJsonTree(String answer) {
    JsonNode root = jsonObject(answer);
    if (root == null) {
      return null;
    }
    JsonNode turns = root.path("turns");
    if (!turns.isArray()) {
      return null;
    }
    List<ParsedTurn> parsed = new ArrayList<>();
    for (JsonNode t : turns) {
      String speaker = t.path("speaker").asText("");
      String text = t.path("text").asText("");
      parsed.add(new ParsedTurn(speaker.strip(), thought(t), text.strip()));
    }
    return parsed;
  }

  /** The JSON object in {@code answer}, bare or inside a code fence, or null. */
  private static @Nullable JsonNode jsonObject(String answer) {
    String object = objectText(answer);
    if (object == null) {
      return null;
    }
    try {
      return JSON.readTree(object);
    } catch (IOException e) {
      return null;
    }
  }

  /** The text from the first to the last brace of {@code answer}'s body (a code fence's, if any), or null. */
  private static @Nullable String objectText(String answer) {
    String body = answer.strip();
    // Most answers have no code fence: indexOf is far cheaper than letting the regex scan the answer.
    if (body.contains("```")) {
      Matcher fence = FENCE.matcher(body);
      if (fence.find()) {
        body = fence.group(1).strip();
      }
    }
    int start = body.indexOf('{');
    int end = body.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return null;
    }
    return body.substring(start, end + 1);
  }

  private static @Nullable String thought(JsonNode turn) {
    JsonNode thought = turn.path("thought");
    return thought.isTextual() && !thought.asText().isBlank() ? thought.asText().strip() : null;
  }

  private static List<ParsedTurn> parseParagraphs(String answer, List<String> participantNames) {
    List<ParsedTurn> turns = new ArrayList<>();
    String speaker = null;
    StringBuilder text = new StringBuilder();
    for (String line : answer.split("\\R")) {
      String named = speakerOf(line, participantNames);
      if (named != null) {
        if (speaker != null) {
          turns.add(paragraphTurn(speaker, text.toString()));
        }
        speaker = named;
        Matcher m = SPEAKER_LINE.matcher(line);
        text.setLength(0);
        if (m.matches()) {
          text.append(m.group(2));
        }
      } else if (speaker != null) {
        text.append('\n').append(line);
      }
    }
    if (speaker != null) {
      turns.add(paragraphTurn(speaker, text.toString()));
    }
    return turns;
  }

  private static @Nullable String speakerOf(String line, List<String> participantNames) {
    Matcher m = SPEAKER_LINE.matcher(line);
    if (!m.matches()) {
      return null;
    }
    String candidate = m.group(1).strip().toLowerCase(Locale.ROOT);
    for (String name : participantNames) {
      if (name.strip().toLowerCase(Locale.ROOT).equals(candidate)) {
        return name;
      }
    }
    return null;
  }

  private static ParsedTurn paragraphTurn(String speaker, String raw) {
    String text = raw.strip();
    String thought = null;
    Matcher m = THOUGHT.matcher(text);
    if (m.matches()) {
      thought = m.group(1).strip();
      text = m.group(2).strip();
    }
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1).strip();
    }
    return new ParsedTurn(speaker, thought, text);
  }
}
