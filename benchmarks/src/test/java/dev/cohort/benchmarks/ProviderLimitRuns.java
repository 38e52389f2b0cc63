package dev.cohort.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link ProviderLimitHarness#main} when asked for with {@code -Dcohort.provider.limit=true}
 * (options in {@code -Dcohort.provider.limit.args}, separated by spaces); the four runs take about
 * ten minutes, so the ordinary build skips it and {@link LimitedProviderTest} checks the fake
 * provider's limiter instead.
 */
class ProviderLimitRuns {
  @Test
  @EnabledIfSystemProperty(named = "cohort.provider.limit", matches = "true")
  void printsTheTable() throws Exception {
    String args = System.getProperty("cohort.provider.limit.args", "").strip();
    ProviderLimitHarness.main(args.isEmpty() ? new String[0] : args.split("\\s+"));
  }
}
