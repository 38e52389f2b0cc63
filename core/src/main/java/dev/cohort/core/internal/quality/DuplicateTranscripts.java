package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the simulations of a batch whose transcripts are near-identical to another's ({@code
 * duplicate_transcript}) without comparing every pair: MinHash signatures and locality-sensitive
 * hashing.
 *
 * <ul>
 *   <li>A transcript is the set of its word {@value #SHINGLE_WORDS}-grams (the turns' texts,
 *       lower-cased, punctuation ignored; speaker names left out, so two groups that say the same
 *       thing match).
 *   <li>Its signature is {@value #HASHES} MinHash values; the share of equal values estimates the
 *       Jaccard similarity of two transcripts' shingle sets.
 *   <li>The signature is cut into {@value #BANDS} bands of {@value #ROWS} values; two transcripts
 *       are candidates when some band is equal in both (found by sorting each band's hashes, never
 *       by comparing pairs), and duplicates when their signatures agree on at least {@value
 *       #THRESHOLD} of the values. With 16 bands of 4, a pair at Jaccard 0.8 becomes a candidate
 *       with probability 1 − (1 − 0.8⁴)¹⁶ ≈ 0.9997, a pair at 0.3 with probability 0.12.
 *   <li>Within one band bucket a transcript is checked against at most {@value #MAX_CHECKS} earlier
 *       members, so a thousand identical transcripts cost a thousand checks, not half a million.
 * </ul>
 *
 * Cost: O(n · words) to sign, O(bands · n log n) to bucket; memory {@value #HASHES} ints and the id
 * per transcript (about 350 bytes: 35 MB for 100,000). Not thread-safe: one instance per batch pass.
 */
public final class DuplicateTranscripts {
  /** Words per shingle. */
  static final int SHINGLE_WORDS = 5;
  /** MinHash values per signature. */
  static final int HASHES = 64;
  /** Bands the signature is cut into for bucketing. */
  static final int BANDS = 16;
  /** Values per band. */
  static final int ROWS = HASHES / BANDS;
  /** Estimated Jaccard similarity at or above which two transcripts are duplicates. */
  public static final double THRESHOLD = 0.8;
  /** Earlier members of a bucket a transcript is checked against. */
  static final int MAX_CHECKS = 8;

  private final List<String> ids = new ArrayList<>();
  private int[] signatures = new int[HASHES * 64];

  private DuplicateTranscripts() {}

  /** An empty finder. */
  public static DuplicateTranscripts create() {
    return new DuplicateTranscripts();
  }

  /** Adds one simulation's transcript; a transcript without words is left out. */
  public void add(String simulationId, List<Turn> turns) {
    Objects.requireNonNull(simulationId, "simulationId");
    List<String> words = new ArrayList<>();
    for (Turn t : turns) {
      words.addAll(WordTokens.of(t.text()));
    }
    if (words.isEmpty()) {
      return;
    }
    int at = ids.size() * HASHES;
    if (at + HASHES > signatures.length) {
      signatures = Arrays.copyOf(signatures, signatures.length * 2);
    }
    sign(words, signatures, at);
    ids.add(simulationId);
  }

  /** How many transcripts were added. */
  public int size() {
    return ids.size();
  }

  /** The ids of the transcripts near-identical to at least one other added transcript. */
  public Set<String> duplicates() {
    int n = ids.size();
    boolean[] duplicate = new boolean[n];
    long[] keyed = new long[n];
    for (int band = 0; band < BANDS; band++) {
      for (int i = 0; i < n; i++) {
        // The band's hash in the high half, the index in the low half: sorting groups equal bands.
        keyed[i] = ((long) bandHash(i, band) << 32) | i;
      }
      Arrays.sort(keyed);
      int start = 0;
      for (int i = 1; i <= n; i++) {
        if (i == n || (keyed[i] >>> 32) != (keyed[start] >>> 32)) {
          checkBucket(keyed, start, i, duplicate);
          start = i;
        }
      }
    }
    Set<String> found = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (duplicate[i]) {
        found.add(ids.get(i));
      }
    }
    return found;
  }

  private void checkBucket(long[] keyed, int from, int to, boolean[] duplicate) {
    for (int i = from + 1; i < to; i++) {
      int a = (int) keyed[i];
      for (int j = from; j < i && j < from + MAX_CHECKS; j++) {
        int b = (int) keyed[j];
        if (similarity(a, b) >= THRESHOLD) {
          duplicate[a] = true;
          duplicate[b] = true;
        }
      }
    }
  }

  /** Share of equal MinHash values of transcripts {@code a} and {@code b}. */
  double similarity(int a, int b) {
    int equal = 0;
    for (int h = 0; h < HASHES; h++) {
      if (signatures[a * HASHES + h] == signatures[b * HASHES + h]) {
        equal++;
      }
    }
    return (double) equal / HASHES;
  }

  private int bandHash(int index, int band) {
    int h = 0x9747b28c + band;
    int base = index * HASHES + band * ROWS;
    for (int r = 0; r < ROWS; r++) {
      h = h * 31 + signatures[base + r];
    }
    return h ^ (h >>> 16);
  }

  /**
   * MinHash: for each shingle two 64-bit hashes h1, h2, and hash function k is h1 + k·h2 (double
   * hashing: {@value #HASHES} functions for the price of two).
   */
  private static void sign(List<String> words, int[] into, int at) {
    long[] min = new long[HASHES];
    Arrays.fill(min, -1L); // the largest unsigned value
    int shingles = Math.max(1, words.size() - SHINGLE_WORDS + 1);
    for (int s = 0; s < shingles; s++) {
      long h = 0xcbf29ce484222325L;
      for (int w = s; w < Math.min(words.size(), s + SHINGLE_WORDS); w++) {
        String word = words.get(w);
        for (int c = 0; c < word.length(); c++) {
          h = (h ^ word.charAt(c)) * 0x100000001b3L;
        }
        h = (h ^ ' ') * 0x100000001b3L;
      }
      long h1 = mix(h);
      long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
      long v = h1;
      for (int k = 0; k < HASHES; k++) {
        // Unsigned order, so the whole 64-bit range counts.
        if (Long.compareUnsigned(v, min[k]) < 0) {
          min[k] = v;
        }
        v += h2;
      }
    }
    for (int k = 0; k < HASHES; k++) {
      into[at + k] = (int) (min[k] >>> 32);
    }
  }

  /** A 64-bit finaliser (the one of SplitMix64): spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
