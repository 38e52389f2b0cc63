package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Simulation;
import org.jspecify.annotations.Nullable;

/** Gathers one outcome's statistics from analysed simulations, one at a time. */
interface OutcomeAccumulator {
  /** Takes in one analysed simulation, whose participants are {@code members} (pool indexes). */
  void add(Simulation simulation, int[] members);

  /** The statistics of everything added. */
  OutcomeAnalysis result();

  /** A boolean as 1 or 0, a number as itself; NaN for anything else (a missing or odd value). */
  static double numeric(@Nullable Object value, DeclaredOutcome.Type type) {
    if (type == DeclaredOutcome.Type.BOOLEAN) {
      return value instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
    }
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
