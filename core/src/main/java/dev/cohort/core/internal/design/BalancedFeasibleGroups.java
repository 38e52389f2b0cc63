package dev.cohort.core.internal.design;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A balanced design under constraints: each group is the best of {@value #CANDIDATES} feasible
 * groups drawn uniformly (never one planned before), best meaning the fewest appearances of its
 * members so far, then the fewest earlier meetings of its pairs. Every group meets the
 * constraints; appearances are evened out greedily, not to a guaranteed spread (the constraints may
 * not allow one: a moderator in every group of a pool with one moderator appears in all of them).
 */
final class BalancedFeasibleGroups {
  static final int CANDIDATES = 16;

  private final FeasibleGroups feasible;
  private final SplittableRandom random;
  private final int[] counts;
  private final PairCounts pairs;
  private final Set<BigInteger> seenRanks = new HashSet<>();
  private final Set<String> seenGroups = new HashSet<>();

  BalancedFeasibleGroups(FeasibleGroups feasible, int n, long seed) {
    this.feasible = feasible;
    this.random = new SplittableRandom(seed);
    this.counts = new int[n];
    this.pairs = new PairCounts(n);
  }

  /** Counts a group planned before. */
  void record(int[] group) {
    seenGroups.add(Arrays.toString(group));
    for (int v : group) {
      counts[v]++;
    }
    pairs.addGroup(group);
  }

  /** The next group, ascending; the caller asks for at most as many as are feasible and new. */
  int[] next() {
    int[] best = null;
    long bestUse = Long.MAX_VALUE;
    long bestPairs = Long.MAX_VALUE;
    BigInteger count = feasible.count();
    int found = 0;
    for (int tries = 0; found < CANDIDATES && tries < CANDIDATES * 64; tries++) {
      BigInteger rank = RankDraws.uniformBelow(count, random);
      int[] group = feasible.group(rank);
      if (seenRanks.contains(rank) || seenGroups.contains(Arrays.toString(group))) {
        continue;
      }
      found++;
      long use = 0;
      long met = 0;
      for (int i = 0; i < group.length; i++) {
        use += counts[group[i]];
        met += pairs.score(group[i], group, i);
      }
      if (use < bestUse || use == bestUse && met < bestPairs) {
        best = group;
        bestUse = use;
        bestPairs = met;
      }
    }
    if (best == null) {
      best = firstUnplanned(count);
    }
    seenGroups.add(Arrays.toString(best));
    for (int v : best) {
      counts[v]++;
    }
    pairs.addGroup(best);
    return best;
  }

  /** When random draws keep hitting planned groups: the first unplanned one by rank. */
  private int[] firstUnplanned(BigInteger count) {
    for (BigInteger r = BigInteger.ZERO; r.compareTo(count) < 0; r = r.add(BigInteger.ONE)) {
      int[] group = feasible.group(r);
      if (!seenGroups.contains(Arrays.toString(group))) {
        return group;
      }
    }
    throw new IllegalStateException("every feasible group is planned already");
  }
}
