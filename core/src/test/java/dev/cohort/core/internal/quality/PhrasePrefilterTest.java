package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The phrase prefilter changes no flag: over the detectors' own test corpora, texts built from
 * the patterns' phrases and random words, and adversarial variants (every case, the Unicode
 * characters that case-fold to ASCII letters, curly apostrophes, doubled spaces, letters cut out),
 * {@link PhrasePatterns#matches} agrees with running every regex alone.
 */
class PhrasePrefilterTest {
  private static final long SEED = 20261130L;
  private static final int TEXTS = 40_000;

  /** The detectors' test corpora: what they must and must not flag. */
  private static final List<String> CORPUS = List.of(
      "As an AI language model, I don't have personal opinions about the carbon tax.",
      "I'm just an AI, so I can't really say how the farmers in this town feel.",
      "I am a large language model trained to be helpful; here is a balanced view of both positions.",
      "The prompt asks me to play Maya, but I think we should talk about this more neutrally.",
      "Going back to the system prompt, the discussion should stay civil.",
      "Let me step out of character for a moment: both personas make good points.",
      "I was instructed to argue for the wind farm, so I will do that.",
      "My training data only goes up to 2023, so I may not know the latest figures.",
      "AI models at our institute predict twice as many floods by 2050; we cannot ignore that.",
      "I run a small bakery, and a prompt reply from the council would help us plan for the heat.",
      "As a farmer, I have watched the river rise every spring for thirty years.",
      "My grandmother was a character, she would have chained herself to the bulldozers.",
      "The simulation models the university ran last year showed the seawall would fail.",
      "Como científica del clima, creo que el impuesto al carbono es necesario.",
      "I should remember that I am an AI assistant playing a role here",
      "I'm sorry, but I can't continue this conversation.",
      "I\u2019m sorry, but I can\u2019t help with that request.",
      "I cannot assist with this request, as it involves describing violence against a real group.",
      "I won't be able to create that content.",
      "I must respectfully decline to write this dialogue.",
      "Writing this would be against my guidelines.",
      "I'm not comfortable role-playing a character who holds these views.",
      "I can't support this plan: it takes water from the farms downstream.",
      "I refuse to sign anything until the council publishes the flood maps.",
      "Sorry, I'm late \u2014 the bus from the harbour was cancelled again.",
      "We cannot continue to subsidise coal while the coast disappears.",
      "I'm sorry for your loss; the storm took my brother's boat too.",
      "I'm sorry, but I can't take part in this scenario.",
      "I can't agree: the schools need it more.");

  /** Phrases that match (or nearly match) a pattern: the prefilter's hard cases. */
  private static final List<String> PHRASES = List.of(
      "as an ai", "as a chatbot", "as an a.i.", "as a large language model", "as an llm", "as a virtual assistant",
      "i am an ai", "i'm just an ai", "i'm only a language model", "i am merely an assistant", "i'm a helpful assistant",
      "i am the ai", "my training data", "the knowledge cutoff", "my programming", "the system prompt", "system prompt",
      "in the prompt", "from your prompt", "the prompt says", "your prompt wanted", "my instructions say",
      "the instructions were", "i was instructed to", "i have been programmed to", "i am trained to",
      "this simulation is", "the roleplay asks", "the role-play requires", "staying in character",
      "break character", "broke the character", "stepping out of my character", "out of character",
      "i can't roleplay", "i won't pretend to be", "i cannot play the role of", "openai", "chatgpt", "anthropic",
      "i'm sorry, but i can't", "i am sorry i won't", "i'm sorry but i am unable to", "i cannot help with that request",
      "i can't assist with this", "i won't be able to write that scenario", "i will not generate such content",
      "i am unable to take part in the conversation", "i'm not able to do that", "i cannot comply",
      "i must decline", "i have to respectfully decline", "i will have to decline", "against my guidelines",
      "violates the content policy", "outside our usage policies", "violate my principles", "against the programming",
      "i'm not comfortable continuing", "i am not able to role-playing", "i am not comfortable writing",
      "i'm", "i am", "as a", "prompt", "character", "sorry", "cannot", "decline", "policy", "instructions",
      "ai", "assistant", "simulation", "trained");

  private static final List<String> WORDS = List.of(
      "the", "council", "should", "listen", "housing", "rent", "I", "we", "can't", "cannot", "help", "this",
      "plan", "a", "an", "as", "am", "not", "my", "your", "model", "language", "assist", "with", "request",
      "farmers", "river", "seawall", "tax", "AI", "prompt", "said", "again", "maintain", "sorry,", "but",
      "tram", "homes", "—", "...", "2,000", "é", "straße", "İstanbul", "naïve");

  @Test
  void everyPhrasePatternHasLiteralsSoThePrefilterRulesTextsOut() {
    for (PhrasePatterns patterns : List.of(PersonaBreakDetector.PATTERNS, RefusalDetector.PATTERNS)) {
      assertThat(patterns.literals()).allSatisfy(literals -> assertThat(literals).isNotEmpty());
    }
    assertThat(NecessaryLiterals.of("\\b(?:openai|chatgpt|anthropic)\\b"))
        .containsExactlyInAnyOrder("openai", "chatgpt", "anthropic");
  }

  @Test
  void derivesLiteralsThatEveryMatchContains() {
    assertThat(NecessaryLiterals.of("\\bSystem Prompt\\b")).containsExactly("system prompt");
    assertThat(NecessaryLiterals.of("\\bstay(?:ing)? in character")).containsExactly("stay in character",
        "staying in character");
    // An optional part requires nothing; the sequence keeps the other side's literal.
    assertThat(NecessaryLiterals.of("(?:very )?well")).containsExactlyInAnyOrder("well");
    // A superstring of a kept literal adds nothing.
    assertThat(NecessaryLiterals.of("cat|cats|scatter")).containsExactly("cat");
    assertThat(NecessaryLiterals.of("a+b")).containsExactly("a");
    // Branches that are no longer exact strings: any branch's requirement will do.
    assertThat(NecessaryLiterals.of("(?:alpha|beta)+|gamma")).containsExactlyInAnyOrder("beta", "alpha", "gamma");
    // Syntax it does not model, or a pattern that can match the empty string: always run the regex.
    assertThat(NecessaryLiterals.of("[abc]x")).isEmpty();
    assertThat(NecessaryLiterals.of("a.b")).isEmpty();
    assertThat(NecessaryLiterals.of("(?i)abc")).isEmpty();
    assertThat(NecessaryLiterals.of("x{2}")).isEmpty();
    assertThat(NecessaryLiterals.of("(?:abc)?")).isEmpty();
    assertThat(NecessaryLiterals.of("abc)")).isEmpty();
  }

  @Test
  void foldsAsTheCaseInsensitiveRegexCompares() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      if (Character.isSurrogate(c)) {
        continue;
      }
      char folded = CaseFold.fold(c);
      if (folded < 128 && Character.isLetter(folded)) {
        assertThat(Pattern.compile(String.valueOf(folded), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
            .matcher(String.valueOf(c)).matches()).as("U+%04X folds to %s", (int) c, folded).isTrue();
      }
      if (c < 128 && Character.isLetter(c) && folded != CaseFold.fold(Character.toLowerCase(c))) {
        throw new AssertionError("ASCII letters must fold to their lower case: " + c);
      }
    }
    for (char letter = 'a'; letter <= 'z'; letter++) {
      Pattern p = Pattern.compile(String.valueOf(letter), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      for (char c = 0; c < Character.MAX_VALUE; c++) {
        if (p.matcher(String.valueOf(c)).matches()) {
          assertThat(CaseFold.fold(c)).as("U+%04X matches %s", (int) c, letter).isEqualTo(letter);
        }
      }
    }
  }

  @Test
  void givesExactlyTheFlagsOfTheRegexesAloneOnCorporaAndRandomTexts() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<String> texts = new ArrayList<>(CORPUS);
    for (String text : CORPUS) {
      for (int i = 0; i < 20; i++) {
        texts.add(perturb(text, random));
      }
    }
    for (int i = 0; i < TEXTS; i++) {
      texts.add(perturb(randomText(random), random));
    }
    int personaBreaks = 0;
    int refusals = 0;
    for (String text : texts) {
      boolean persona = PersonaBreakDetector.PATTERNS.matchesByRegexAlone(text);
      boolean refusal = RefusalDetector.PATTERNS.matchesByRegexAlone(text);
      assertThat(PersonaBreakDetector.PATTERNS.matches(text)).as("persona break in «%s»", text).isEqualTo(persona);
      assertThat(RefusalDetector.PATTERNS.matches(text)).as("refusal in «%s»", text).isEqualTo(refusal);
      personaBreaks += persona ? 1 : 0;
      refusals += refusal ? 1 : 0;
    }
    // Not a vacuous comparison: both answers occur often for both detectors.
    assertThat(personaBreaks).isBetween(texts.size() / 20, texts.size() - texts.size() / 20);
    assertThat(refusals).isBetween(texts.size() / 20, texts.size() - texts.size() / 20);
  }

  private static String randomText(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    int pieces = 1 + random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      if (i > 0) {
        out.append(random.nextInt(8) == 0 ? ", " : " ");
      }
      out.append(random.nextInt(3) == 0 ? PHRASES.get(random.nextInt(PHRASES.size()))
          : WORDS.get(random.nextInt(WORDS.size())));
    }
    return out.toString();
  }

  /** Case changes, look-alike letters that fold to ASCII, curly apostrophes, spacing, cut letters. */
  private static String perturb(String text, SplittableRandom random) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    int rate = 2 + random.nextInt(30);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (random.nextInt(rate) != 0) {
        out.append(c);
        continue;
      }
      switch (random.nextInt(9)) {
        case 0 -> out.append(Character.toUpperCase(c));
        case 1 -> out.append(c == 'i' ? '\u0130' : c == 'I' ? '\u0131' : c);   // İ and dotless ı fold to i
        case 2 -> out.append(c == 's' ? '\u017F' : c == 'k' ? '\u212A' : c);  // long s, Kelvin sign
        case 3 -> out.append(c == '\'' ? '\u2019' : c);
        case 4 -> out.append(c == ' ' ? "  " : String.valueOf(c));
        case 5 -> { } // cut
        case 6 -> out.append(c).append(c);
        case 7 -> out.append(c == ' ' ? '\u00A0' : c);
        default -> out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }
}
