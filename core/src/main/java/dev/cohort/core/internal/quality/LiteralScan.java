package dev.cohort.core.internal.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds, in one pass over a folded text, which patterns' {@link NecessaryLiterals} occur in it:
 * literals are looked up by their first two characters at each position, so the pass costs about
 * the same however many literals there are (a {@code contains} per literal would not).
 */
final class LiteralScan {
  /** At most this many patterns: one bit each in the answer. */
  static final int MAX_PATTERNS = Long.SIZE;

  /**
   * A literal, its pattern's bit, and its third character (-1 when it has two): comparing that one
   * character first skips most full comparisons, since many literals share common first pairs
   * ("i ", "as", "th") that occur all over ordinary text.
   */
  private record Entry(String literal, long bit, int third) {
    Entry(String literal, long bit) {
      this(literal, bit, literal.length() > 2 ? literal.charAt(2) : -1);
    }
  }

  /** Patterns without literals: always candidates. */
  private final long always;
  /** Literals whose first two characters are ASCII, by those two characters. */
  private final Entry[][] byFirstTwo = new Entry[128 * 128][];
  /** The rest (one character long, or not ASCII at the start): searched for one by one. */
  private final List<Entry> others = new ArrayList<>();

  /** @param literals per pattern, its folded literals; an empty list means the pattern always runs */
  LiteralScan(List<List<String>> literals) {
    if (literals.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_PATTERNS + " patterns, was " + literals.size());
    }
    long none = 0;
    for (int p = 0; p < literals.size(); p++) {
      long bit = 1L << p;
      if (literals.get(p).isEmpty()) {
        none |= bit;
      }
      for (String literal : literals.get(p)) {
        Entry entry = new Entry(literal, bit);
        if (literal.length() >= 2 && literal.charAt(0) < 128 && literal.charAt(1) < 128) {
          int key = literal.charAt(0) << 7 | literal.charAt(1);
          Entry[] bucket = byFirstTwo[key];
          Entry[] grown = bucket == null ? new Entry[1] : Arrays.copyOf(bucket, bucket.length + 1);
          grown[grown.length - 1] = entry;
          byFirstTwo[key] = grown;
        } else {
          others.add(entry);
        }
      }
    }
    this.always = none;
  }

  /** Bit {@code p} set when pattern {@code p} may match {@code folded}: one of its literals occurs. */
  long candidates(String folded) {
    long found = always;
    for (Entry e : others) {
      if ((found & e.bit()) == 0 && folded.contains(e.literal())) {
        found |= e.bit();
      }
    }
    int last = folded.length() - 1;
    for (int i = 0; i < last; i++) {
      char a = folded.charAt(i);
      char b = folded.charAt(i + 1);
      if ((a | b) >= 128) {
        continue;
      }
      Entry[] bucket = byFirstTwo[a << 7 | b];
      if (bucket == null) {
        continue;
      }
      int third = i + 2 <= last ? folded.charAt(i + 2) : -2;
      for (Entry e : bucket) {
        if ((found & e.bit()) == 0 && (e.third() < 0 || e.third() == third) && folded.startsWith(e.literal(), i)) {
          found |= e.bit();
        }
      }
    }
    return found;
  }
}
