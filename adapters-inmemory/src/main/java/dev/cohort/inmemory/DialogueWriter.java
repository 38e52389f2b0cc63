package dev.cohort.inmemory;

import dev.cohort.inmemory.ConversationPrompt.Participant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes plausible turns for {@link SimulatedLlm}: each speaker mentions the context's topic and
 * who they are, reacts to the previous speaker by name, and never says the same thing twice in one
 * conversation.
 *
 * <p>A turn's text is an opener, a body and a closer, each picked from {@value #VARIANTS}
 * templates. The three picks for turn {@code t} are the digits, in base {@value #VARIANTS}, of
 * {@code (a·(t−1) + b) mod }{@value #VARIANTS}³, where {@code a} and {@code b} come from the seed
 * and the conversation (context and participants) and {@code a} is coprime with the modulus. That
 * map is a bijection, so the first {@value #VARIANTS}³ turns of a conversation all get different
 * template triples; later turns add a clause naming how often the pattern has come round. The
 * output is a pure function of the prompt and the seed.
 */
final class DialogueWriter {
  /** Templates per part of a turn. */
  static final int VARIANTS = 12;
  private static final int COMBINATIONS = VARIANTS * VARIANTS * VARIANTS;
  /** Only the start of a long context is searched for its topic. */
  private static final int CONTEXT_SCAN_LIMIT = 2_000;
  private static final int MAX_TOPICS = 8;
  private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}'’-]*|[.!?;:,]");
  private static final Set<String> STOPWORDS = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
      "about", "over", "under", "into", "from", "as", "is", "are", "was", "were", "be", "been", "being",
      "this", "that", "these", "those", "it", "its", "their", "they", "them", "there", "here", "we",
      "our", "you", "your", "he", "she", "his", "her", "i", "my", "me", "who", "whom", "which", "what",
      "how", "why", "when", "where", "will", "would", "should", "could", "can", "may", "might", "must",
      "do", "does", "did", "has", "have", "had", "not", "no", "so", "than", "then", "very", "each",
      "all", "any", "some", "such", "only", "also", "just", "more", "most", "other", "one", "two",
      "between", "during", "after", "before", "while", "whether", "per", "via", "up", "out");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s");
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?;]+$");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final List<String> OCCUPATION_KEYS = List.of("occupation", "profession", "job", "role", "title");
  private static final List<String> TRAIT_KEYS = List.of("traits", "trait", "personality", "values", "interests");

  private static final String[] OPENERS_AFTER = {
    "{prev}, I hear you.",
    "I partly agree with {prev}.",
    "That is a fair point, {prev}.",
    "{prev}, I am not so sure about that.",
    "Let me build on what {prev} just said.",
    "I see it a little differently from {prev}.",
    "{prev} has a point, but there is more to it.",
    "Thanks, {prev}, that helps.",
    "Hold on, {prev}.",
    "I want to come back to what {prev} said.",
    "{prev}, you have made me think.",
    "Honestly, {prev}, I expected you to say that.",
  };
  private static final String[] OPENERS_FIRST = {
    "Let me start with what strikes me first.",
    "Here is how I see it.",
    "I will be honest.",
    "Where do I even begin?",
    "Let me think out loud for a moment.",
    "Something has been on my mind.",
    "I will say what I think.",
    "First impressions, then.",
    "I have mixed feelings.",
    "Let me put it plainly.",
    "This matters to me.",
    "I have been looking forward to this.",
  };
  private static final String[] BODIES = {
    "{Self}, I keep coming back to {topic}.",
    "{Self}, what worries me about {topic} is who ends up paying for it.",
    "{Self}, I think {topic} could work if people are actually listened to.",
    "Speaking {self}, {topic} looks different from where I stand.",
    "{Self}, I would want to see real numbers on {topic} before deciding anything.",
    "{Self}, {topic} is not an abstract question for me.",
    "{Self}, I can see both sides of {topic}.",
    "{Self}, my main question about {topic} is what changes from day to day.",
    "{Self}, I have seen plans like {topic} go wrong before.",
    "{Self}, I feel hopeful about {topic}, if cautiously.",
    "{Self}, nobody has asked yet how {topic} affects people like me.",
    "{Self}, I would rather take {topic} one step at a time.",
  };
  private static final String[] CLOSERS = {
    "Being {trait}, I would rather say it now than later.",
    "What do the rest of you think?",
    "That is where I stand for now.",
    "I could be wrong, of course.",
    "Maybe we need to hear from more people first.",
    "I am {trait} about it, I admit.",
    "It is worth getting this right.",
    "Let us not rush it.",
    "I would like to hear a concrete proposal.",
    "We keep circling around the same issue.",
    "And I mean that.",
    "Call me {trait}, but that matters.",
  };
  private static final String[] TRAIT_FALLBACKS = {"honest", "old-fashioned", "practical"};
  private static final String[] THOUGHTS_AFTER = {
    "{prev} sounds very sure.",
    "I should bring up {topic}.",
    "Stay calm and listen.",
    "Does {prev} really mean that?",
    "This is important to me.",
    "Keep it short.",
    "I hope {prev} listens.",
    "Where is this going?",
  };
  private static final String[] THOUGHTS_FIRST = {
    "Here we go.",
    "I should bring up {topic}.",
    "Stay calm.",
    "What do the others expect?",
    "This is important to me.",
    "Keep it short.",
    "Start with something concrete.",
    "Where is this going?",
  };

  /**
   * One written turn.
   *
   * @param speaker the name as listed
   * @param thought a short inner thought
   * @param text what the speaker says
   */
  record WrittenTurn(String speaker, String thought, String text) {}

  private DialogueWriter() {}

  /** The turns for {@code prompt}, one per listed speaker, in order. */
  static List<WrittenTurn> write(ConversationPrompt prompt, long seed) {
    List<String> topics = topics(prompt.context());
    List<Participant> participants = participants(prompt);
    long conversation = conversationSeed(prompt, seed);
    long a = 1 + 6L * SeedMixer.below(conversation, 0, COMBINATIONS / 6);
    long b = SeedMixer.below(conversation, 1, COMBINATIONS);
    List<WrittenTurn> turns = new ArrayList<>(prompt.speakers().size());
    for (int i = 0; i < prompt.speakers().size(); i++) {
      String speaker = prompt.speakers().get(i);
      long turn = (long) prompt.firstTurn() + i;
      @Nullable String previous = previousSpeaker(prompt, participants, i, turn);
      long draw = SeedMixer.mix(conversation, turn);
      long slot = Math.floorMod(a * (turn - 1) + b, (long) COMBINATIONS);
      long cycle = (turn - 1) / COMBINATIONS;
      @Nullable Participant self = find(participants, speaker);
      String topic = topics.get(SeedMixer.below(draw, 1, topics.size()));
      Map<String, String> values = Map.of(
          "{prev}", previous == null ? "" : previous,
          "{topic}", topic,
          "{self}", identity(self, draw),
          "{Self}", capitalise(identity(self, draw)),
          "{trait}", trait(self, draw));
      String opener = (previous == null ? OPENERS_FIRST : OPENERS_AFTER)[(int) (slot % VARIANTS)];
      String body = BODIES[(int) (slot / VARIANTS % VARIANTS)];
      String closer = CLOSERS[(int) (slot / (VARIANTS * VARIANTS))];
      StringBuilder text = new StringBuilder()
          .append(fill(opener, values)).append(' ')
          .append(fill(body, values)).append(' ')
          .append(fill(closer, values));
      if (cycle > 0) {
        text.append(" That makes ").append(cycle + 1).append(" times I have put it this way.");
      }
      String[] thoughts = previous == null ? THOUGHTS_FIRST : THOUGHTS_AFTER;
      String thought = fill(thoughts[SeedMixer.below(draw, 2, thoughts.length)], values);
      turns.add(new WrittenTurn(speaker, thought, text.toString()));
    }
    return List.copyOf(turns);
  }

  /** The seed of one conversation: the same in every round of it, different between conversations. */
  private static long conversationSeed(ConversationPrompt prompt, long seed) {
    StringBuilder key = new StringBuilder(prompt.context());
    for (Participant p : prompt.participants()) {
      key.append('\u0000').append(p.name());
    }
    return SeedMixer.mix(seed, SeedMixer.hash(key.toString()));
  }

  /** The listed participants, or the distinct speakers when the prompt lists none. */
  private static List<Participant> participants(ConversationPrompt prompt) {
    if (!prompt.participants().isEmpty()) {
      return prompt.participants();
    }
    List<Participant> out = new ArrayList<>();
    for (String name : new LinkedHashSet<>(prompt.speakers())) {
      out.add(new Participant(name, "", Map.of()));
    }
    return out;
  }

  /**
   * Who spoke before turn {@code i}: the previous speaker of this request; for a later round's
   * first turn, the participant listed before this speaker; nobody for the very first turn or a
   * solo conversation.
   */
  private static @Nullable String previousSpeaker(
      ConversationPrompt prompt, List<Participant> participants, int i, long turn) {
    String speaker = prompt.speakers().get(i);
    if (i > 0 && !prompt.speakers().get(i - 1).equals(speaker)) {
      return prompt.speakers().get(i - 1);
    }
    if (turn == 1 || participants.size() < 2) {
      return null;
    }
    int index = 0;
    for (int j = 0; j < participants.size(); j++) {
      if (participants.get(j).name().equals(speaker)) {
        index = j;
      }
    }
    for (int step = 1; step < participants.size(); step++) {
      String candidate = participants.get(Math.floorMod(index - step, participants.size())).name();
      if (!candidate.equals(speaker)) {
        return candidate;
      }
    }
    return null;
  }

  private static @Nullable Participant find(List<Participant> participants, String name) {
    for (Participant p : participants) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Phrases naming the context's topic: runs of two or three consecutive words that are not
   * stopwords, from the start of the context, each with "the" in front unless it is a name. Runs
   * of several words are mostly noun phrases ("bicycle bridge"), lone words often verbs, so lone
   * words of five letters or more are used only when the context has no longer run. Scanning
   * stops after the first sentence that brings the count to two phrases.
   */
  static List<String> topics(String context) {
    String scanned = context.length() > CONTEXT_SCAN_LIMIT ? context.substring(0, CONTEXT_SCAN_LIMIT) : context;
    Set<String> phrases = new LinkedHashSet<>();
    Set<String> singles = new LinkedHashSet<>();
    List<String> run = new ArrayList<>();
    boolean sentenceStart = true;
    Matcher m = WORD.matcher(scanned);
    while (m.find() && phrases.size() < MAX_TOPICS) {
      String token = m.group();
      boolean punctuation = ".!?;:,".contains(token);
      boolean stop = punctuation || STOPWORDS.contains(token.toLowerCase(Locale.ROOT));
      if (stop) {
        addRun(phrases, singles, run);
      } else {
        run.add(sentenceStart ? lowerIfCommon(token) : token);
        if (run.size() == 3) {
          addRun(phrases, singles, run);
        }
      }
      sentenceStart = punctuation && ".!?".contains(token);
      if (sentenceStart && phrases.size() >= 2) {
        // The opening sentence usually states the setting; later ones drift into detail.
        break;
      }
    }
    addRun(phrases, singles, run);
    Set<String> chosen = !phrases.isEmpty() ? phrases : singles;
    if (chosen.isEmpty()) {
      return List.of("the situation");
    }
    List<String> out = new ArrayList<>();
    for (String phrase : chosen) {
      out.add(Character.isUpperCase(phrase.charAt(0)) ? phrase : "the " + phrase);
      if (out.size() == MAX_TOPICS) {
        break;
      }
    }
    return List.copyOf(out);
  }

  private static void addRun(Set<String> phrases, Set<String> singles, List<String> run) {
    if (run.size() > 1) {
      phrases.add(String.join(" ", run));
    } else if (run.size() == 1 && run.get(0).length() >= 5) {
      singles.add(run.get(0));
    }
    run.clear();
  }

  /** A sentence's first word in lower case, unless it looks like a name or an acronym. */
  private static String lowerIfCommon(String word) {
    boolean onlyFirstUpper = word.length() > 1 && word.substring(1).equals(word.substring(1).toLowerCase(Locale.ROOT));
    return onlyFirstUpper ? word.toLowerCase(Locale.ROOT) : word;
  }

  /** How the speaker introduces themself: "as a nurse", "as someone who runs a farm"… */
  private static String identity(@Nullable Participant self, long draw) {
    if (self == null) {
      return "from my own experience";
    }
    @Nullable String occupation = firstText(self.attributes(), OCCUPATION_KEYS, draw);
    @Nullable String description = descriptionClause(self.description());
    boolean useOccupation = occupation != null && (description == null || SeedMixer.below(draw, 3, 2) == 0);
    if (useOccupation) {
      return "as " + article(occupation) + " " + occupation;
    }
    if (description == null) {
      return "from my own experience";
    }
    String lower = description.toLowerCase(Locale.ROOT);
    if (lower.startsWith("a ") || lower.startsWith("an ") || lower.startsWith("the ")) {
      return "as " + lowerFirst(description);
    }
    String firstWord = SPACES.split(lower, 2)[0];
    if (firstWord.endsWith("s") && !firstWord.endsWith("ss")) {
      return "as someone who " + lowerFirst(description);
    }
    return "with my background (" + description + ")";
  }

  /** One trait from the attributes, or a neutral adjective. */
  private static String trait(@Nullable Participant self, long draw) {
    @Nullable String trait = self == null ? null : firstText(self.attributes(), TRAIT_KEYS, draw);
    return trait != null ? trait : TRAIT_FALLBACKS[SeedMixer.below(draw, 4, TRAIT_FALLBACKS.length)];
  }

  /** A text value under the first present key: a string, or a seeded pick from a list of them. */
  private static @Nullable String firstText(Map<String, @Nullable Object> attributes, List<String> keys, long draw) {
    for (Map.Entry<String, @Nullable Object> e : attributes.entrySet()) {
      if (!keys.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      List<String> options = new ArrayList<>();
      if (e.getValue() instanceof String s) {
        for (String part : s.split(",")) {
          options.add(part);
        }
      } else if (e.getValue() instanceof List<?> list) {
        for (Object item : list) {
          if (item instanceof String s) {
            options.add(s);
          }
        }
      }
      options.removeIf(String::isBlank);
      if (!options.isEmpty()) {
        return options.get(SeedMixer.below(draw, 5, options.size())).strip();
      }
    }
    return null;
  }

  /** The description's first sentence, at most twelve words, without its final punctuation. */
  private static @Nullable String descriptionClause(String description) {
    String first = TRAILING_PUNCTUATION.matcher(SENTENCE_END.split(description.strip(), 2)[0]).replaceAll("").strip();
    if (first.isEmpty()) {
      return null;
    }
    String[] words = SPACES.split(first);
    return words.length <= 12 ? first : String.join(" ", List.of(words).subList(0, 12));
  }

  private static String article(String noun) {
    return "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an" : "a";
  }

  private static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String lowerFirst(String text) {
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
