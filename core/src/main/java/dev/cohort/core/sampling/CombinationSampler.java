package dev.cohort.core.sampling;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Counts and samples k-subsets of a pool of n items.
 *
 * <p>{@link #plan} returns every combination in lexicographic order when C(n,k) is at most the
 * number requested; otherwise it draws the requested number of distinct combinations uniformly at
 * random in O(N·k) expected time and memory, never enumerating C(n,k): each draw is a uniform
 * k-subset (Floyd's algorithm) and duplicates are rejected, which costs at most two draws per
 * combination on average because the plan then covers at most half of the space. When N is more
 * than half of C(n,k), enumerating C(n,k) ≤ 2N combinations and shuffling is cheaper and still
 * O(N·k). The same (n, k, N, seed) always gives the same plan, on every JVM.
 */
public final class CombinationSampler {
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
   * Plans min(requested, C(n,k)) distinct k-subsets of {0, …, n-1}.
   *
   * @param n pool size, at least 1
   * @param k subset size, 1 to n
   * @param requested how many combinations to plan, at least 1
   * @param seed the seed of every random choice
   * @throws IllegalArgumentException when an argument is out of range
   */
  public static SamplingPlan plan(int n, int k, int requested, long seed) {
    checkArguments(n, k);
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    if (requested < 1) {
      throw new IllegalArgumentException("requested must be at least 1, was " + requested);
    }
    BigInteger available = count(n, k);
    BigInteger wanted = BigInteger.valueOf(requested);
    List<int[]> combinations;
    if (available.compareTo(wanted) <= 0) {
      combinations = enumerate(n, k, available.intValueExact());
    } else if (available.compareTo(wanted.shiftLeft(1)) <= 0) {
      combinations = shuffledPrefix(enumerate(n, k, available.intValueExact()), requested, seed);
    } else {
      combinations = drawDistinct(n, k, requested, seed);
    }
    return new SamplingPlan(combinations, requested, available);
  }

  /** Every k-subset in lexicographic order. */
  private static List<int[]> enumerate(int n, int k, int total) {
    List<int[]> all = new ArrayList<>(total);
    int[] current = new int[k];
    for (int i = 0; i < k; i++) {
      current[i] = i;
    }
    while (true) {
      all.add(current.clone());
      int i = k - 1;
      while (i >= 0 && current[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        return all;
      }
      current[i]++;
      for (int j = i + 1; j < k; j++) {
        current[j] = current[j - 1] + 1;
      }
    }
  }

  /** The first {@code count} items of a seeded partial Fisher–Yates shuffle. */
  private static List<int[]> shuffledPrefix(List<int[]> all, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(all.size() - i);
      int[] swap = all.get(i);
      all.set(i, all.get(j));
      all.set(j, swap);
    }
    return new ArrayList<>(all.subList(0, count));
  }

  private static List<int[]> drawDistinct(int n, int k, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<Combination> seen = new HashSet<>(Math.max(16, (int) (count / 0.75f) + 1));
    List<int[]> drawn = new ArrayList<>(count);
    while (drawn.size() < count) {
      int[] subset = floyd(n, k, random);
      if (seen.add(new Combination(subset))) {
        drawn.add(subset);
      }
    }
    return drawn;
  }

  /** A uniform random k-subset of {0, …, n-1} in O(k) draws (Floyd), returned sorted. */
  private static int[] floyd(int n, int k, SplittableRandom random) {
    int[] chosen = new int[k];
    int size = 0;
    @Nullable Set<Integer> large = k > 32 ? new HashSet<>(k * 2) : null;
    for (int j = n - k; j < n; j++) {
      int t = random.nextInt(j + 1);
      boolean taken = large != null ? large.contains(t) : contains(chosen, size, t);
      int pick = taken ? j : t;
      chosen[size++] = pick;
      if (large != null) {
        large.add(pick);
      }
    }
    Arrays.sort(chosen);
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

  private static void checkArguments(int n, int k) {
    if (n < 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n, got n=" + n + ", k=" + k);
    }
  }

  /** A sorted subset as a hash key. */
  private static final class Combination {
    private final int[] indices;
    private final int hash;

    Combination(int[] indices) {
      this.indices = indices;
      this.hash = Arrays.hashCode(indices);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Combination c && hash == c.hash && Arrays.equals(indices, c.indices);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
