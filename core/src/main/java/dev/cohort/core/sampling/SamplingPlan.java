package dev.cohort.core.sampling;

import java.math.BigInteger;
import java.util.List;

/**
 * The combinations chosen for a batch.
 *
 * @param combinations distinct k-subsets, each an ascending array of indices into the pool; all of
 *     them in lexicographic order when {@code exhaustive()}, else in draw order
 * @param requested how many combinations were asked for
 * @param available C(n,k), how many distinct combinations exist
 */
public record SamplingPlan(List<int[]> combinations, int requested, BigInteger available) {
  public SamplingPlan {
    combinations = List.copyOf(combinations);
  }

  /** How many combinations were planned: min(requested, C(n,k)). */
  public int planned() {
    return combinations.size();
  }

  /** Whether every existing combination was planned (C(n,k) ≤ requested). */
  public boolean exhaustive() {
    return available.compareTo(BigInteger.valueOf(requested)) <= 0;
  }
}
