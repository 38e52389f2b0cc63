package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The language check's fast path (no script lookup for ASCII letters, one stop-word lookup per word
 * for all Latin profiles) judges every text as the rule written plainly does: the reference below,
 * over random mixes of every profile's stop words, other words and letters of other scripts, for
 * every batch language the check knows.
 */
class LanguageMismatchFastPathTest {
  private static final List<String> LANGUAGES = List.of("English", "Spanish", "French", "German", "Italian",
      "Portuguese", "Dutch", "Russian", "Greek", "Japanese", "Chinese", "Korean", "Arabic", "Hindi");
  private static final List<String> OTHER_WORDS = List.of("council", "seawall", "floods", "Stadtrat", "dique",
      "ayuntamiento", "Überschwemmungen", "naïve", "don't", "c'est", "j'ai", "2,000", "—", "...", "Городской",
      "совет", "海堤", "洪水", "방파제", "ελληνικά", "العربية", "हिन्दी", "ok", "A", "Z", "Ł", "ǅ", "𝐀𝐁");

  @Test
  void judgesEveryTextAsThePlainRuleDoes() {
    List<String> vocabulary = new ArrayList<>(OTHER_WORDS);
    LanguageProfile.LATIN_PROFILES.forEach(p -> vocabulary.addAll(p.stopWords()));
    SplittableRandom random = new SplittableRandom(20261130L);
    int flagged = 0;
    int judged = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int words = random.nextInt(30);
      for (int w = 0; w < words; w++) {
        String word = vocabulary.get(random.nextInt(vocabulary.size()));
        text.append(w == 0 ? "" : random.nextInt(6) == 0 ? ", " : " ")
            .append(random.nextInt(5) == 0 ? word.toUpperCase(Locale.ROOT) : word);
      }
      String language = LANGUAGES.get(random.nextInt(LANGUAGES.size()));
      LanguageProfile expected = LanguageProfile.forLanguage(language).orElseThrow();
      boolean fast = LanguageMismatchDetector.isOtherLanguage(expected, text.toString());
      assertThat(fast).as("%s: «%s»", language, text).isEqualTo(plainRule(expected, text.toString()));
      flagged += fast ? 1 : 0;
      judged++;
    }
    assertThat(flagged).as("both answers occur").isBetween(judged / 20, judged - judged / 20);
  }

  /** The rule as {@link LanguageMismatchDetector}'s Javadoc states it, without shortcuts. */
  private static boolean plainRule(LanguageProfile expected, String text) {
    int letters = 0;
    int inScript = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters++;
        if (expected.scripts().contains(UnicodeScript.of(cp))) {
          inScript++;
        }
      }
    }
    if (letters < LanguageMismatchDetector.MIN_LETTERS) {
      return false;
    }
    if (inScript * 2 < letters) {
      return true;
    }
    if (!expected.hasStopWords()) {
      return false;
    }
    List<String> words = WordTokens.of(text);
    int own = hits(expected, words);
    for (LanguageProfile other : LanguageProfile.LATIN_PROFILES) {
      int theirs = hits(other, words);
      if (!other.name().equals(expected.name()) && theirs >= LanguageMismatchDetector.MIN_HITS && theirs >= 2 * own) {
        return true;
      }
    }
    return false;
  }

  private static int hits(LanguageProfile profile, List<String> words) {
    return (int) words.stream().filter(profile.stopWords()::contains).count();
  }
}
