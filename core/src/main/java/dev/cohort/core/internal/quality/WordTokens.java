package dev.cohort.core.internal.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into lower-case words: maximal runs of letters, digits and apostrophes inside a word
 * (so "don't" and "l'homme" stay one word), in any script. What the repetition, language and
 * duplicate checks compare.
 */
final class WordTokens {
  private WordTokens() {}

  /** The words of {@code text}, lower-cased, in order. */
  static List<String> of(String text) {
    // Lower-case and unify apostrophes once, then cut substrings: this runs over every word of a
    // batch in the duplicate pass, where a builder and a toLowerCase per word cost more than hashing.
    String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    // Sized for about one word per six characters, so a turn's list rarely grows (growing it was
    // the tokeniser's largest cost in a makespan profile).
    List<String> words = new ArrayList<>(lower.length() / 6 + 4);
    int start = -1;
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean apostropheInside = cp == '\'' && start >= 0 && next < lower.length()
          && Character.isLetter(lower.codePointAt(next));
      if (Character.isLetterOrDigit(cp) || apostropheInside) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        words.add(lower.substring(start, i));
        start = -1;
      }
      i = next;
    }
    if (start >= 0) {
      words.add(lower.substring(start));
    }
    return words;
  }

  /** Whether {@code text} has a letter or a digit. */
  static boolean hasWordCharacter(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }
}
