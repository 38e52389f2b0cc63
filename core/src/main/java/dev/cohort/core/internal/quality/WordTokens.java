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
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean apostropheInside = (cp == '\'' || cp == '\u2019') && word.length() > 0
          && next < text.length() && Character.isLetter(text.codePointAt(next));
      if (Character.isLetterOrDigit(cp) || apostropheInside) {
        word.appendCodePoint(cp == '\u2019' ? '\'' : cp);
      } else if (word.length() > 0) {
        words.add(word.toString().toLowerCase(Locale.ROOT));
        word.setLength(0);
      }
      i = next;
    }
    if (word.length() > 0) {
      words.add(word.toString().toLowerCase(Locale.ROOT));
    }
    return words;
  }

  /** Whether {@code text} has a letter or a digit. */
  static boolean hasWordCharacter(String text) {
    return text.codePoints().anyMatch(Character::isLetterOrDigit);
  }
}
