package dev.cohort.core.sampling;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Counts and samples k-subsets of a pool of n items.
 *
 * <p>{@link #plan} yields every combination in lexicographic order when C(n,k) is at most the
 * number requested; otherwise it draws the requested number of distinct combinations uniformly at
 * random, never enumerating C(n,k): each draw is a uniform k-subset (Floyd's algorithm) and
 * duplicates are rejected, which costs at most two draws per combination on average because the
 * plan then covers at most half of the space. When N is more than half of C(n,k), a seeded partial
 * shuffle of the C(n,k) ≤ 2N lexicographic ranks is cheaper. The same (n, k, N, seed) always gives
 * the same plan, in the same order, on every JVM.
 *
 * <p>Combinations are drawn as the plan is iterated, and no object is kept per combination. The
 * duplicate check keeps one {@code long} per combination drawn: its colex rank, exact, when C(n,k)
 * &lt; 2⁶³ (and the pool's table of binomials stays under 16 MiB); otherwise a 64-bit fingerprint
 * of the combination. Two different combinations share a fingerprint with probability about
 * N²/2⁶⁵ in a whole plan (3·10⁻⁸ for N = 10⁶); if it happens, the second one is skipped as if it
 * were a duplicate and another is drawn, so the plan still holds N distinct combinations. The
 * shuffle keeps one {@code int} per existing combination, at most two per planned one.
 */
public final class CombinationSampler {
  /** The largest C(n,k) the shuffle's array of ranks can hold. */
  private static final int MAX_SHUFFLED = Integer.MAX_VALUE - 8;
  private static final BigInteger LONG_LIMIT = BigInteger.valueOf(Long.MAX_VALUE);

  private CombinationSampler() {}

  /**
   * C(n,k), exactly.
   *
   * @throws IllegalArgumentException when n &lt; 0, k &lt; 0 or k &gt; n
   */
  public static BigInteger count(int n, int k) {
    checkArguments(n, k);
    int m = Math.min(k, n - k);
    BigInteger result = BigInteger.ONE;
    for (int i = 1; i <= m; i++) {
      // result * (n - m + i) / i stays an integer at every step: it is C(n - m + i, i).
      result = result.multiply(BigInteger.valueOf(n - m + i)).divide(BigInteger.valueOf(i));
    }
    return result;
  }

  /**
   * Plans min(requested, C(n,k)) distinct k-subsets of {0, …, n-1}. Nothing is drawn until the
   * plan is iterated.
   *
   * @param n pool size, at least 1
   * @param k subset size, 1 to n
   * @param requested how many combinations to plan, at least 1
   * @param seed the seed of every random choice
   * @throws IllegalArgumentException when an argument is out of range
   */
  public static SamplingPlan plan(int n, int k, int requested, long seed) {
    return plan(n, k, requested, requested, seed);
  }

  /**
   * The plan of a batch created with {@code firstRequested} combinations and grown since to {@code
   * totalRequested}: the same draw sequence as {@link #plan plan(n, k, firstRequested, seed)} (the
   * strategy is the one chosen for {@code firstRequested}), read further, so its first combinations
   * are exactly those of the first plan, in the same order, and the rest are new, distinct and as
   * uniform as the first. When the strategy for {@code totalRequested} is the same one (C(n,k) &gt;
   * 2·totalRequested, or firstRequested &lt; C(n,k) ≤ 2·firstRequested with totalRequested &lt;
   * C(n,k)), this is also exactly {@code plan(n, k, totalRequested, seed)}. Yields min(totalRequested,
   * C(n,k)) combinations; continuing uniform draws close to C(n,k) costs about C(n,k)·ln C(n,k) draws.
   *
   * @throws IllegalArgumentException when an argument is out of range or totalRequested &lt; firstRequested
   */
  public static SamplingPlan extended(int n, int k, int firstRequested, int totalRequested, long seed) {
    if (totalRequested < firstRequested) {
      throw new IllegalArgumentException("totalRequested " + totalRequested + " is below firstRequested " + firstRequested);
    }
    return plan(n, k, firstRequested, totalRequested, seed);
  }

  /** The plan with the strategy chosen for {@code strategySize}, yielding up to {@code requested}. */
  private static SamplingPlan plan(int n, int k, int strategySize, int requested, long seed) {
    checkArguments(n, k);
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    if (strategySize < 1) {
      throw new IllegalArgumentException("requested must be at least 1, was " + strategySize);
    }
    BigInteger available = count(n, k);
    BigInteger wanted = BigInteger.valueOf(strategySize);
    if (available.compareTo(wanted) <= 0) {
      int total = available.intValueExact();
      return new SamplingPlan(requested, available, total, () -> new LexicographicOrder(n, k));
    }
    int planned = available.min(BigInteger.valueOf(requested)).intValueExact();
    if (available.compareTo(wanted.shiftLeft(1)) <= 0 && available.compareTo(BigInteger.valueOf(MAX_SHUFFLED)) <= 0
        && (Math.min(k, n - k) == 1 || Binomials.fits(n, Math.min(k, n - k)))) {
      int total = available.intValueExact();
      return new SamplingPlan(requested, available, planned, () -> new ShuffledRanks(n, k, total, planned, seed));
    }
    boolean ranked = available.compareTo(LONG_LIMIT) < 0 && Binomials.fits(n, k);
    return new SamplingPlan(requested, available, planned, () -> new DistinctDraws(n, k, planned, seed, ranked));
  }

  private static void checkArguments(int n, int k) {
    if (n < 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n, got n=" + n + ", k=" + k);
    }
  }

  /** Every k-subset in lexicographic order, one successor step per combination. */
  private static final class LexicographicOrder implements Iterator<int[]> {
    private final int n;
    private final int[] current;
    private boolean more = true;

    LexicographicOrder(int n, int k) {
      this.n = n;
      this.current = new int[k];
      for (int i = 0; i < k; i++) {
        current[i] = i;
      }
    }

    @Override
    public boolean hasNext() {
      return more;
    }

    @Override
    public int[] next() {
      int[] out = current.clone();
      int k = current.length;
      int i = k - 1;
      while (i >= 0 && current[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        more = false;
      } else {
        current[i]++;
        for (int j = i + 1; j < k; j++) {
          current[j] = current[j - 1] + 1;
        }
      }
      return out;
    }
  }

  /**
   * The first {@code count} items of a seeded partial Fisher–Yates shuffle of the lexicographic
   * ranks 0 … C(n,k)-1, unranked as they are yielded. The swaps are those a shuffle of the list of
   * all combinations makes, so the order is that list's.
   */
  private static final class ShuffledRanks implements Iterator<int[]> {
    private final int n;
    private final int k;
    private final int m;
    private final int total;
    private final int count;
    private final int[] ranks;
    /** Null when m = 1: the rank of a 1-subset is its element, and n may then be large. */
    private final @Nullable Binomials binomials;
    private final SplittableRandom random;
    private int i;

    ShuffledRanks(int n, int k, int total, int count, long seed) {
      this.n = n;
      this.k = k;
      // A k-subset is the complement of an (n-k)-subset, and complementing reverses lexicographic
      // order, so ranking the smaller side keeps every binomial read at most C(n,k).
      this.m = Math.min(k, n - k);
      this.total = total;
      this.count = count;
      this.ranks = new int[total];
      Arrays.setAll(ranks, r -> r);
      this.binomials = m == 1 ? null : Binomials.upTo(n, m);
      this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean hasNext() {
      return i < count;
    }

    @Override
    public int[] next() {
      int j = i + random.nextInt(total - i);
      int rank = ranks[j];
      ranks[j] = ranks[i];
      i++;
      if (m == k) {
        return unrank(rank);
      }
      int[] complement = unrank(total - 1L - rank);
      int[] out = new int[k];
      int size = 0;
      int next = 0;
      for (int v = 0; v < n; v++) {
        if (next < m && complement[next] == v) {
          next++;
        } else {
          out[size++] = v;
        }
      }
      return out;
    }

    /** The m-subset with this lexicographic rank. */
    private int[] unrank(long rank) {
      Binomials table = binomials;
      return table == null ? new int[] {(int) rank} : table.lexUnrank(n, m, rank);
    }
  }

  /**
   * Uniform random k-subsets, duplicates rejected by a {@link LongHashSet} of their colex ranks
   * ({@code ranked}) or fingerprints.
   */
  private static final class DistinctDraws implements Iterator<int[]> {
    private final int n;
    private final int k;
    private final SplittableRandom random;
    private final LongHashSet seen;
    private final @Nullable Binomials binomials;
    /** Floyd's membership test for large k: bit v is set while v is in the subset being drawn. */
    private final long[] taken;

    DistinctDraws(int n, int k, int count, long seed, boolean ranked) {
      this.n = n;
      this.k = k;
      this.random = new SplittableRandom(seed);
      this.seen = new LongHashSet(count);
      this.binomials = ranked ? Binomials.upTo(n, k) : null;
      this.taken = k > 32 ? new long[(n + 63) >>> 6] : new long[0];
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public int[] next() {
      while (true) {
        int[] subset = floyd();
        Binomials table = binomials;
        long key = table != null ? table.colexRank(subset) : fingerprint(subset);
        if (seen.add(key)) {
          return subset;
        }
      }
    }

    /** A uniform random k-subset of {0, …, n-1} in O(k) draws (Floyd), returned sorted. */
    private int[] floyd() {
      int[] chosen = new int[k];
      int size = 0;
      boolean large = taken.length > 0;
      for (int j = n - k; j < n; j++) {
        int t = random.nextInt(j + 1);
        boolean isTaken = large ? (taken[t >>> 6] & (1L << t)) != 0 : contains(chosen, size, t);
        int pick = isTaken ? j : t;
        chosen[size++] = pick;
        if (large) {
          taken[pick >>> 6] |= 1L << pick;
        }
      }
      if (large) {
        for (int v : chosen) {
          taken[v >>> 6] = 0;
        }
      }
      if (k <= 16) {
        // Insertion sort: a handful of indices sort faster inline than through Arrays.sort.
        for (int i = 1; i < k; i++) {
          int v = chosen[i];
          int j = i - 1;
          while (j >= 0 && chosen[j] > v) {
            chosen[j + 1] = chosen[j];
            j--;
          }
          chosen[j + 1] = v;
        }
      } else {
        Arrays.sort(chosen);
      }
      return chosen;
    }

    private static boolean contains(int[] values, int size, int value) {
      for (int i = 0; i < size; i++) {
        if (values[i] == value) {
          return true;
        }
      }
      return false;
    }

    /** A 64-bit hash of an ascending subset (SplitMix64's finaliser over each index in turn). */
    private static long fingerprint(int[] ascending) {
      long h = 0x243F6A8885A308D3L;
      for (int v : ascending) {
        h = mix(h + v + 0x9E3779B97F4A7C15L);
      }
      return h;
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
