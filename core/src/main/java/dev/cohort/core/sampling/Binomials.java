package dev.cohort.core.sampling;

/**
 * A table of C(x, j) for 0 ≤ x ≤ n and 0 ≤ j ≤ m, built by Pascal's rule. Entries that do not fit
 * a {@code long} saturate at {@link Long#MAX_VALUE}; callers only read entries that are bounded by
 * a C(n,k) they know to fit (each term of a rank is at most the rank).
 */
final class Binomials {
  /** The most entries a table may have (16 MiB); larger pools use the fingerprint instead. */
  static final long MAX_ENTRIES = 1L << 21;

  private final int columns;
  private final long[] table;

  private Binomials(int n, int m) {
    this.columns = m + 1;
    this.table = new long[(n + 1) * columns];
    for (int x = 0; x <= n; x++) {
      int row = x * columns;
      table[row] = 1;
      for (int j = 1; j <= Math.min(x, m); j++) {
        long sum = table[row - columns + j - 1] + table[row - columns + j];
        // Both terms are non-negative, so a sum that wrapped is negative: saturate it.
        table[row + j] = sum < 0 ? Long.MAX_VALUE : sum;
      }
    }
  }

  /** Whether a table for {@code x ≤ n, j ≤ m} stays within {@link #MAX_ENTRIES}. */
  static boolean fits(int n, int m) {
    return (n + 1L) * (m + 1L) <= MAX_ENTRIES;
  }

  /** The table for {@code x ≤ n, j ≤ m}; check {@link #fits} first. */
  static Binomials upTo(int n, int m) {
    if (!fits(n, m)) {
      throw new IllegalArgumentException("a table of C(x, j) for x <= " + n + ", j <= " + m + " is too large");
    }
    return new Binomials(n, m);
  }

  /** C(x, j); 0 when j &gt; x. */
  long get(int x, int j) {
    return j > x ? 0 : table[x * columns + j];
  }

  /** The colex rank of an ascending k-subset: the sum of C(c[i], i + 1). */
  long colexRank(int[] ascending) {
    long rank = 0;
    for (int i = 0; i < ascending.length; i++) {
      rank += get(ascending[i], i + 1);
    }
    return rank;
  }

  /**
   * The m-subset of {0, …, n-1} with lexicographic rank {@code rank}, ascending. Needs the table
   * for n and m, and C(n, m) to fit it unsaturated (m ≤ n/2 guarantees that every entry read is at
   * most C(n, m)).
   */
  int[] lexUnrank(int n, int m, long rank) {
    int[] out = new int[m];
    int prev = -1;
    long r = rank;
    for (int pos = 0; pos < m; pos++) {
      int remaining = m - pos;
      // Subsets whose next element is at most v: C(n-1-prev, remaining) - C(n-1-v, remaining)
      // (hockey stick). Find the smallest v where that count exceeds r.
      long total = get(n - 1 - prev, remaining);
      long threshold = total - r;
      int lo = prev + 1;
      int hi = n - remaining;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (get(n - 1 - mid, remaining) < threshold) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      r -= total - get(n - lo, remaining);
      out[pos] = lo;
      prev = lo;
    }
    return out;
  }
}
