package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Flags {@code repetition}: two turns of one simulation that are near-duplicates. Each turn becomes
 * the set of its word 3-grams (lower-cased words, punctuation ignored); two turns repeat each other
 * when the 3-grams they share are at least {@value #THRESHOLD} of the smaller set (so a turn that
 * repeats an earlier one with a sentence added still counts). Turns with fewer than {@value
 * #MIN_TRIGRAMS} 3-grams (under 6 words) are left out: "I agree." twice is not a loop. The engine
 * already re-asks a turn that repeats an earlier one verbatim; this finds the near misses. Turns of
 * one simulation are compared pair by pair: a few hundred turns at most.
 */
final class RepetitionDetector {
  /** Share of the smaller turn's 3-grams that the two turns must share. */
  static final double THRESHOLD = 0.6;
  /** Fewest 3-grams a turn needs to be compared. */
  static final int MIN_TRIGRAMS = 4;

  private RepetitionDetector() {}

  static boolean flags(List<Turn> turns) {
    return flags(turns, TurnWords.of(turns));
  }

  /** {@link #flags(List)} with the turns' words cut already (or when first needed) by {@code words}. */
  static boolean flags(List<Turn> turns, TurnWords words) {
    List<Set<String>> seen = new ArrayList<>();
    for (int t = 0; t < turns.size(); t++) {
      Set<String> grams = trigrams(words.of(t));
      if (grams.size() < MIN_TRIGRAMS) {
        continue;
      }
      for (Set<String> earlier : seen) {
        if (overlap(grams, earlier) >= THRESHOLD) {
          return true;
        }
      }
      seen.add(grams);
    }
    return false;
  }

  /** Shared 3-grams over the smaller set's size, 0 to 1. */
  static double overlap(Set<String> a, Set<String> b) {
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    int shared = 0;
    for (String g : small) {
      if (large.contains(g)) {
        shared++;
      }
    }
    return small.isEmpty() ? 0 : (double) shared / small.size();
  }

  static Set<String> trigrams(String text) {
    return trigrams(WordTokens.of(text));
  }

  private static Set<String> trigrams(List<String> words) {
    Set<String> grams = new HashSet<>();
    for (int i = 0; i + 2 < words.size(); i++) {
      grams.add(words.get(i) + ' ' + words.get(i + 1) + ' ' + words.get(i + 2));
    }
    return grams;
  }
}
