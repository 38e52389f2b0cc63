package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.SimulationMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A few points of the estimate accuracy grid ({@link EstimateAccuracy}): the real token total of
 * a batch run against the fake provider lies within the estimate's range, before the run and after
 * a pilot, and the calibrated expected total is within 15 % of what the rest really used.
 */
class EstimateAccuracyTest {
  @ParameterizedTest(name = "k={0} turns={1} rounds={2}")
  @CsvSource({"1, 1, 1", "2, 3, 2", "3, 6, 4", "5, 2, 3"})
  void realSpendFallsWithinTheEstimateAndThePilotCalibratesIt(int k, int turns, int rounds) throws Exception {
    EstimateAccuracy.Result r = EstimateAccuracy.run(k, turns, rounds);

    assertThat(r.whole().totalTokens()).as("real total before the run")
        .isBetween(r.before().totalTokens().low(), r.before().totalTokens().high());
    assertThat(r.rest().totalTokens()).as("real total of the rest after the pilot")
        .isBetween(r.afterPilot().totalTokens().low(), r.afterPilot().totalTokens().high());
    assertThat(Math.abs(r.errorAfterPilot())).as("relative error of the calibrated expected total").isLessThanOrEqualTo(0.15);
    assertThat(r.before().costUsd()).as("gpt-4o-mini is priced").isNotNull();
    assertThat(r.afterPilot().simulations()).isEqualTo(r.planned() - EstimateAccuracy.PILOT);
  }

  /**
   * Role-play: one call per turn, each made for its speaker. The estimate builds those calls (not
   * the scripted rounds), so the real total falls within its range and the pilot calibrates it as
   * closely as in scripted mode.
   */
  @ParameterizedTest(name = "role-play k={0} turns={1} rounds={2}")
  @CsvSource({"2, 3, 2", "4, 2, 3"})
  void roleplaySpendFallsWithinTheEstimateAndThePilotCalibratesIt(int k, int turns, int rounds) throws Exception {
    EstimateAccuracy.Result r = EstimateAccuracy.run(k, turns, rounds, SimulationMode.ROLEPLAY);

    assertThat(r.calls()).as("one call per turn plus re-asks").isGreaterThanOrEqualTo(r.planned() * turns * rounds);
    assertThat(r.before().calls().low()).as("the estimate's calls are the turns").isEqualTo(r.planned() * turns * rounds);
    assertThat(r.whole().totalTokens()).as("real total before the run")
        .isBetween(r.before().totalTokens().low(), r.before().totalTokens().high());
    assertThat(r.rest().totalTokens()).as("real total of the rest after the pilot")
        .isBetween(r.afterPilot().totalTokens().low(), r.afterPilot().totalTokens().high());
    assertThat(Math.abs(r.errorAfterPilot())).as("relative error of the calibrated expected total").isLessThanOrEqualTo(0.15);
  }
}
