package dev.cohort.core.internal.quality;

/**
 * Folds text the way a {@code CASE_INSENSITIVE | UNICODE_CASE} regular expression compares
 * characters: two characters match when {@code toLowerCase(toUpperCase(c))} is the same for both
 * (so "İ", "ı" and "i" all fold to "i", the Kelvin sign to "k", "ſ" to "s"). {@code
 * String.toLowerCase} is not that fold ("İ" becomes two characters), so the phrase prefilter would
 * rule out texts the regex matches.
 */
final class CaseFold {
  private CaseFold() {}

  /** The folded form of one character, as the regex compares it. */
  static char fold(char c) {
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
    return Character.toLowerCase(Character.toUpperCase(c));
  }

  /** {@code text} with every character folded; the same length, so positions stay the same. */
  static String of(String text) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (fold(c) != c) {
        break;
      }
      i++;
    }
    if (i == n) {
      return text; // already folded: most answers are lower-case after their first letters
    }
    char[] out = new char[n];
    text.getChars(0, n, out, 0);
    for (; i < n; i++) {
      out[i] = fold(out[i]);
    }
    return new String(out);
  }
}
