package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.lang.Character.UnicodeScript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Flags {@code language_mismatch}: a turn not written in the batch's {@code language}. A stated
 * heuristic, no library:
 *
 * <ol>
 *   <li>Only turns with at least {@value #MIN_LETTERS} letters are judged (a name or "OK" says
 *       nothing about the language).
 *   <li>Script: when less than half of the turn's letters are in the scripts of the batch's language
 *       (Latin for English, Cyrillic for Russian, Han and kana for Japanese…), the turn is in another
 *       language.
 *   <li>Stop words, for the languages written in Latin letters: the turn's words are counted
 *       against each {@link LanguageProfile#LATIN_PROFILES profile}; the turn is in another
 *       language when some other language has at least {@value #MIN_HITS} hits and at least twice
 *       as many as the batch's language ("the cat" quoted in a French turn is not enough).
 * </ol>
 *
 * A batch whose language the check does not know ({@link LanguageProfile#forLanguage}) is never
 * flagged.
 */
final class LanguageMismatchDetector {
  /** Fewest letters a turn needs to be judged. */
  static final int MIN_LETTERS = 20;
  /** Fewest stop-word hits another language needs to win. */
  static final int MIN_HITS = 3;

  /**
   * For each word, the {@link LanguageProfile#LATIN_PROFILES} whose stop words hold it, one bit per
   * profile: one lookup per word instead of one per word and profile.
   */
  private static final Map<String, Integer> PROFILES_OF_WORD = profilesOfWord();

  private LanguageMismatchDetector() {}

  static boolean flags(String language, List<Turn> turns) {
    return flags(language, turns, TurnWords.of(turns));
  }

  /** {@link #flags(String, List)} with the turns' words cut already (or when first needed) by {@code words}. */
  static boolean flags(String language, List<Turn> turns, TurnWords words) {
    Optional<LanguageProfile> expected = LanguageProfile.forLanguage(language);
    if (expected.isEmpty()) {
      return false;
    }
    for (int t = 0; t < turns.size(); t++) {
      int turn = t;
      if (isOtherLanguage(expected.get(), turns.get(t).text(), () -> words.of(turn))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} is judged to be in another language than {@code expected}. */
  static boolean isOtherLanguage(LanguageProfile expected, String text) {
    return isOtherLanguage(expected, text, () -> WordTokens.of(text));
  }

  /**
   * {@link #isOtherLanguage(LanguageProfile, String)} with {@code text}'s words from {@code words},
   * asked for only when the script alone does not decide.
   */
  private static boolean isOtherLanguage(LanguageProfile expected, String text, Supplier<List<String>> words) {
    int letters = 0;
    int inScript = 0;
    // An ASCII letter is a Latin letter: no script lookup for the common case.
    boolean latinInScript = expected.scripts().contains(UnicodeScript.LATIN);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 128) {
        if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
          letters++;
          inScript += latinInScript ? 1 : 0;
        }
      } else if (Character.isLetter(cp)) {
        letters++;
        if (expected.scripts().contains(UnicodeScript.of(cp))) {
          inScript++;
        }
      }
    }
    if (letters < MIN_LETTERS) {
      return false;
    }
    if (inScript * 2 < letters) {
      return true;
    }
    if (!expected.hasStopWords()) {
      return false;
    }
    List<String> textWords = words.get();
    int[] hits = hitsPerLatinProfile(textWords);
    int profile = LanguageProfile.LATIN_PROFILES.indexOf(expected);
    int own = profile >= 0 ? hits[profile] : hits(expected, textWords);
    for (int p = 0; p < hits.length; p++) {
      if (!LanguageProfile.LATIN_PROFILES.get(p).name().equals(expected.name())) {
        int theirs = hits[p];
        if (theirs >= MIN_HITS && theirs >= 2 * own) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, Integer> profilesOfWord() {
    Map<String, Integer> out = new HashMap<>();
    List<LanguageProfile> profiles = LanguageProfile.LATIN_PROFILES;
    for (int p = 0; p < profiles.size(); p++) {
      for (String word : profiles.get(p).stopWords()) {
        out.merge(word, 1 << p, (a, b) -> a | b);
      }
    }
    return Map.copyOf(out);
  }

  /** Stop-word hits of {@code words} for each Latin profile, in {@link LanguageProfile#LATIN_PROFILES} order. */
  private static int[] hitsPerLatinProfile(List<String> words) {
    int[] hits = new int[LanguageProfile.LATIN_PROFILES.size()];
    for (String w : words) {
      Integer bits = PROFILES_OF_WORD.get(w);
      if (bits != null) {
        for (int b = bits; b != 0; b &= b - 1) {
          hits[Integer.numberOfTrailingZeros(b)]++;
        }
      }
    }
    return hits;
  }

  private static int hits(LanguageProfile profile, List<String> words) {
    int hits = 0;
    for (String w : words) {
      if (profile.stopWords().contains(w)) {
        hits++;
      }
    }
    return hits;
  }
}
