package dev.cohort.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs the whole estimate accuracy grid ({@link EstimateAccuracy#main}) when asked for with
 * {@code -Dcohort.estimate.grid=true}; it takes minutes, so the ordinary build skips it and runs
 * {@link EstimateAccuracyTest}'s few points instead.
 */
class EstimateAccuracyGrid {
  @Test
  @EnabledIfSystemProperty(named = "cohort.estimate.grid", matches = "true")
  void printsTheWholeGrid() throws Exception {
    EstimateAccuracy.main(new String[0]);
  }
}
