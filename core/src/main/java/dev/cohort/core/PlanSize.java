package dev.cohort.core;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ValidationException;

/**
 * The one check of how many simulations a batch may plan, set by {@link
 * Cohort.Builder#maxPlannedSimulations(long)}. It runs before anything is sampled or stored, from
 * the request alone: the plan is min(C(n, k), num_simulations) × replicates, and C(n, k) is
 * counted only as far as it matters, so a request for a pool of millions costs nothing to refuse.
 */
final class PlanSize {
  private PlanSize() {}

  /**
   * @throws ValidationException naming {@code num_simulations}, or {@code replicates} when only the
   *     replicates push the plan over {@code max}
   */
  static void check(BatchRequest request, long max) {
    long combinations = Math.min(
        combinationsUpTo(request.entityIds().size(), request.interactionSize(), request.numSimulations()),
        request.numSimulations());
    long planned = combinations * request.replicates();
    int copies = request.modelFactor().copiesPerPlanned();
    if (planned * copies > max) {
      String field = planned > max ? (combinations <= max && request.replicates() > 1 ? "replicates" : "num_simulations")
          : "models";
      throw new ValidationException(field, "the batch would plan " + planned * copies
          + " simulations (min(C(n,k), num_simulations) × replicates" + (copies > 1 ? " × models, crossed" : "")
          + "); at most " + max + " fit in one batch");
    }
  }

  /** C(n,k), or {@code cap} as soon as it reaches {@code cap}. */
  static long combinationsUpTo(int n, int k, long cap) {
    int r = Math.min(k, n - k);
    long c = 1;
    for (int i = 0; i < r; i++) {
      try {
        // Exact at every step: the product of i+1 consecutive integers is divisible by (i+1)!.
        c = Math.multiplyExact(c, n - i) / (i + 1);
      } catch (ArithmeticException overflow) {
        return cap;
      }
      if (c >= cap) {
        return cap;
      }
    }
    return c;
  }
}
