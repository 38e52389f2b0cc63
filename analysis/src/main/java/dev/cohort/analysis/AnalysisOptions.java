package dev.cohort.analysis;

import org.jspecify.annotations.Nullable;

/**
 * What to analyse: whether flagged simulations count, and whether to analyse one outcome only.
 *
 * @param includeFlagged analyse simulations that carry a quality flag too (by default they are left
 *     out and counted)
 * @param outcome the one outcome to analyse, or null for all declared outcomes
 */
public record AnalysisOptions(boolean includeFlagged, @Nullable String outcome) {
  /** Flagged simulations left out, every outcome analysed. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(false, null);
  }

  /** These options with flagged simulations included or not. */
  public AnalysisOptions withIncludeFlagged(boolean include) {
    return new AnalysisOptions(include, outcome);
  }

  /** These options analysing only the outcome named {@code name} (null: all). */
  public AnalysisOptions withOutcome(@Nullable String name) {
    return new AnalysisOptions(includeFlagged, name);
  }
}
