package dev.cohort.core.spend;

import org.jspecify.annotations.Nullable;

/**
 * Adds costs that may be unknown. An unknown cost (null) is never taken as 0: a sum with an
 * unknown part is unknown, so a total never looks cheaper than it was.
 */
public final class CostSum {
  private CostSum() {}

  /** {@code a + b}, or null when either is unknown. */
  public static @Nullable Double plus(@Nullable Double a, @Nullable Double b) {
    return a == null || b == null ? null : a + b;
  }
}
