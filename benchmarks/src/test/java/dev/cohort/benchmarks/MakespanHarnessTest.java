package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MakespanHarnessTest {

  @ParameterizedTest(name = "N={0}, rounds={1}, L={2} ms, c={3} -> {4} ms")
  @CsvSource({
      // Limited by the calls: ceil(N·rounds/c) waves of L.
      "10000, 3, 50, 10, 150000",
      "10000, 3, 50, 100, 15000",
      "10000, 3, 50, 1000, 1500",
      // A partial last wave still costs a whole L.
      "10, 1, 50, 3, 200",
      // Limited by one simulation's rounds, which run one after another.
      "10, 3, 50, 1000, 150",
      "1, 5, 20, 1, 100",
  })
  void idealIsTheLargerOfOneSimulationsRoundsAndTheCallWaves(
      int simulations, int rounds, long latencyMillis, int concurrency, long expectedMillis) {
    assertThat(MakespanHarness.ideal(simulations, rounds, Duration.ofMillis(latencyMillis), concurrency))
        .isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @Test
  void tinyRunCompletesEverySimulationWithOneCallPerRoundAndNeverBeatsTheIdeal() {
    MakespanHarness.Point point = new MakespanHarness.Point(12, 2, Duration.ofMillis(10), 4);

    MakespanHarness.Result result = MakespanHarness.measure(point);

    assertThat(result.completed()).isEqualTo(12);
    assertThat(result.calls()).isEqualTo(24);
    assertThat(result.ideal()).isEqualTo(Duration.ofMillis(60));
    assertThat(result.bound()).isEqualTo(Duration.ofMillis(60));
    // A lower bound, not a speed check: with at most 4 simulations in flight and two sequential
    // 10 ms calls each, 12 simulations cannot finish in less than 3 × 20 ms.
    assertThat(result.makespan()).isGreaterThanOrEqualTo(result.ideal());
    assertThat(result.ratio()).isGreaterThanOrEqualTo(1.0);
    assertThat(result.peakHeapBytes()).isPositive();
  }

  @Test
  void cannedRunCompletesEverySimulationAndNeverBeatsTheBoundOfItsDrawnLatencies() {
    MakespanHarness.Point point = new MakespanHarness.Point(12, 2, Duration.ofMillis(10), 4);

    MakespanHarness.Result result = MakespanHarness.measureCanned(point, 0.5);

    assertThat(result.completed()).isEqualTo(12);
    assertThat(result.calls()).isEqualTo(24);
    // 24 drawn latencies of median 10 ms over 4 slots: a positive bound the run cannot beat, and
    // the zero-overhead runner's makespan of the same latencies (recomputed from the stored
    // simulations and checked against what the model drew), which cannot beat the bound either.
    assertThat(result.bound()).isPositive();
    assertThat(result.ideal()).isGreaterThanOrEqualTo(result.bound());
    assertThat(result.makespan()).isGreaterThanOrEqualTo(result.bound());
  }

  @Test
  void idealOfDrawsIsTheSpreadOverTheSlotsOrTheLongestCall() {
    assertThat(MakespanHarness.idealOfDraws(Duration.ofSeconds(100), Duration.ofMillis(400), 1_000))
        .isEqualTo(Duration.ofMillis(400));
    assertThat(MakespanHarness.idealOfDraws(Duration.ofSeconds(1_000), Duration.ofMillis(400), 1_000))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void cannedSigmaReadsTheModelAndItsSpread() {
    assertThat(MakespanHarness.cannedSigma(new String[0])).isNull();
    assertThat(MakespanHarness.cannedSigma(new String[] {"--model", "canned"})).isEqualTo(0.5);
    assertThat(MakespanHarness.cannedSigma(new String[] {"--model", "canned", "--latency-sigma", "0.25"}))
        .isEqualTo(0.25);
    assertThatThrownBy(() -> MakespanHarness.parse(new String[] {"--model", "fast"}))
        .hasMessage("--model must be simulated or canned, was 'fast'");
    assertThatThrownBy(() -> MakespanHarness.parse(new String[] {"--latency-sigma", "-1"}))
        .hasMessage("--latency-sigma must be a number from 0 to 5, was '-1'");
  }

  @Test
  void parseReadsTheGridAndDefaultsToTheIssuesGrid() {
    assertThat(MakespanHarness.parse(new String[0])).containsExactly(
        new MakespanHarness.Point(10_000, 3, Duration.ofMillis(50), 10),
        new MakespanHarness.Point(10_000, 3, Duration.ofMillis(50), 100),
        new MakespanHarness.Point(10_000, 3, Duration.ofMillis(50), 1_000));
    assertThat(MakespanHarness.parse(
        new String[] {"--simulations", "500", "--rounds", "2", "--latency-ms", "5", "--concurrency", "8,64"}))
        .isEqualTo(List.of(
            new MakespanHarness.Point(500, 2, Duration.ofMillis(5), 8),
            new MakespanHarness.Point(500, 2, Duration.ofMillis(5), 64)));
  }

  @Test
  void parseNamesTheBadOption() {
    assertThatThrownBy(() -> MakespanHarness.parse(new String[] {"--concurrency", "10,zero"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--concurrency must be a positive integer, was 'zero'");
    assertThatThrownBy(() -> MakespanHarness.parse(new String[] {"--rounds"}))
        .hasMessage("--rounds needs a value");
    assertThatThrownBy(() -> MakespanHarness.parse(new String[] {"--threads", "4"}))
        .hasMessage("unknown option --threads");
  }
}
