package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the simulations of a batch whose transcripts are near-identical to another's ({@code
 * duplicate_transcript}) without comparing every pair: MinHash signatures and locality-sensitive
 * hashing.
 *
 * <ul>
 *   <li>A transcript is the set of its word {@value #SHINGLE_WORDS}-grams (the turns' texts,
 *       lower-cased, punctuation ignored; speaker names left out, so two groups that say the same
 *       thing match).
 *   <li>Its signature is {@value #HASHES} MinHash values (one-permutation MinHash: one hash per
 *       shingle, split into {@value #HASHES} bins); the share of equal values estimates the Jaccard
 *       similarity of two transcripts' shingle sets.
 *   <li>The signature is cut into {@value #BANDS} bands of {@value #ROWS} values; two transcripts
 *       are candidates when some band is equal in both (found by sorting each band's hashes, never
 *       by comparing pairs), and duplicates when their signatures agree on at least {@value
 *       #THRESHOLD} of the values. With 16 bands of 4, a pair at Jaccard 0.8 becomes a candidate
 *       with probability 1 − (1 − 0.8⁴)¹⁶ ≈ 0.9997, a pair at 0.3 with probability 0.12.
 *   <li>Within one band bucket a transcript is checked against at most {@value #MAX_CHECKS} earlier
 *       members, and a pair already both marked is not checked again, so a thousand identical
 *       transcripts cost a few thousand checks, not half a million.
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
  /** The fewest equal values of two signatures whose share reaches {@link #THRESHOLD}. */
  static final int MIN_EQUAL = (int) Math.ceil(THRESHOLD * HASHES);
  /** The 58 bits of a shingle's hash below the 6 that choose its bin. */
  private static final long VALUE_MASK = (1L << 58) - 1;
  /** Earlier members of a bucket a transcript is checked against. */
  static final int MAX_CHECKS = 8;

  private final List<String> ids = new ArrayList<>();
  private int[] signatures = new int[HASHES * 64];
  /** Signature comparisons the last {@link #duplicates()} made: what the scaling tests bound. */
  private long checks;

  private DuplicateTranscripts() {}

  /** An empty finder. */
  public static DuplicateTranscripts create() {
    return new DuplicateTranscripts();
  }

  /** Adds one simulation's transcript; a transcript without words is left out. */
  public void add(String simulationId, List<Turn> turns) {
    Objects.requireNonNull(simulationId, "simulationId");
    int[] signature = signature(TurnWords.of(turns), turns.size());
    if (signature != null) {
      add(simulationId, signature);
    }
  }

  /**
   * Adds one simulation's transcript by its {@link #signature}, computed earlier (on the thread
   * that completed the simulation): the same as {@link #add(String, List)} with its turns.
   *
   * @throws IllegalArgumentException when {@code signature} does not have {@value #HASHES} values
   */
  public void add(String simulationId, int[] signature) {
    Objects.requireNonNull(simulationId, "simulationId");
    if (signature.length != HASHES) {
      throw new IllegalArgumentException("signature has " + signature.length + " values, not " + HASHES);
    }
    int at = ids.size() * HASHES;
    if (at + HASHES > signatures.length) {
      signatures = Arrays.copyOf(signatures, signatures.length * 2);
    }
    System.arraycopy(signature, 0, signatures, at, HASHES);
    ids.add(simulationId);
  }

  /**
   * The MinHash signature of a transcript ({@value #HASHES} values), or null for a transcript
   * without words (which {@link #add(String, List)} leaves out). A pure function of the turns'
   * texts, so it can be computed when the simulation completes and added at the end of the batch.
   */
  public static int @Nullable [] signature(List<Turn> turns) {
    return signature(TurnWords.of(turns), turns.size());
  }

  /** As {@link #signature(List)}, from the words of the transcript's {@code turns} turns, cut once for every check. */
  static int @Nullable [] signature(TurnWords turnWords, int turns) {
    List<String> words = new ArrayList<>();
    for (int t = 0; t < turns; t++) {
      words.addAll(turnWords.of(t));
    }
    if (words.isEmpty()) {
      return null;
    }
    int[] signature = new int[HASHES];
    sign(words, signature, 0);
    return signature;
  }

  /** How many transcripts were added. */
  public int size() {
    return ids.size();
  }

  /** The ids of the transcripts near-identical to at least one other added transcript. */
  public Set<String> duplicates() {
    int n = ids.size();
    checks = 0;
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
        if (duplicate[a] && duplicate[b]) {
          continue; // another band already found both: comparing again cannot change anything
        }
        checks++;
        if (similar(a, b)) {
          duplicate[a] = true;
          duplicate[b] = true;
        }
      }
    }
  }

  /** How many pairs of signatures the last {@link #duplicates()} compared. */
  long checks() {
    return checks;
  }

  /**
   * Whether {@link #similarity}{@code (a, b) >= }{@link #THRESHOLD}, stopping as soon as too many
   * values differ: most candidate pairs share one band and little else, and comparing all 64 values
   * of each was most of the pass's time once the signatures came ready-made.
   */
  boolean similar(int a, int b) {
    int allowed = HASHES - MIN_EQUAL;
    int offA = a * HASHES;
    int offB = b * HASHES;
    for (int h = 0; h < HASHES; h++) {
      if (signatures[offA + h] != signatures[offB + h] && --allowed < 0) {
        return false;
      }
    }
    return true;
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
   * One-permutation MinHash: each shingle is hashed once; the hash's top 6 bits choose one of the
   * {@value #HASHES} bins and the bin keeps the smallest remaining value. A bin no shingle fell in
   * borrows from the next filled bin, offset by the distance (rotation densification), so short
   * transcripts get full signatures too. One hash per shingle instead of {@value #HASHES}: signing
   * costs about what reading the words costs.
   */
  private static void sign(List<String> words, int[] into, int at) {
    long[] wordHashes = new long[words.size()];
    for (int w = 0; w < wordHashes.length; w++) {
      String word = words.get(w);
      long h = 0xcbf29ce484222325L;
      for (int c = 0; c < word.length(); c++) {
        h = (h ^ word.charAt(c)) * 0x100000001b3L;
      }
      wordHashes[w] = mix(h);
    }
    long[] min = new long[HASHES];
    Arrays.fill(min, Long.MAX_VALUE);
    int shingles = Math.max(1, words.size() - SHINGLE_WORDS + 1);
    for (int s = 0; s < shingles; s++) {
      long h = 0;
      for (int w = s; w < Math.min(words.size(), s + SHINGLE_WORDS); w++) {
        h = h * 0x9E3779B97F4A7C15L + wordHashes[w];
      }
      h = mix(h);
      int bin = (int) (h >>> 58);
      long value = h & VALUE_MASK;
      if (value < min[bin]) {
        min[bin] = value;
      }
    }
    for (int k = 0; k < HASHES; k++) {
      long value = min[k];
      for (int d = 1; value == Long.MAX_VALUE && d < HASHES; d++) {
        long borrowed = min[(k + d) % HASHES];
        if (borrowed != Long.MAX_VALUE) {
          value = (borrowed + d * 0x9E3779B97F4A7C15L) & VALUE_MASK;
        }
      }
      into[at + k] = (int) (value >>> 26);
    }
  }

  /** A 64-bit finaliser (the one of SplitMix64): spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
