package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeroOverheadScheduleTest {

  @ParameterizedTest(name = "N={0}, rounds={1}, L={2} ms, c={3}")
  @CsvSource({
      "10000, 3, 50, 10",
      "10000, 3, 50, 100",
      "10000, 3, 50, 1000",
      "100000, 3, 1000, 10000",
      "12, 2, 10, 4",
      "7, 5, 20, 7",
  })
  void constantLatencyGivesTheFixedLatencyIdealWhenTheSlotsDivideTheSimulations(
      int simulations, int rounds, long latencyMillis, int concurrency) {
    long[] perSimulation = new long[simulations];
    Arrays.fill(perSimulation, Duration.ofMillis(latencyMillis).toNanos() * rounds);

    Duration makespan = ZeroOverheadSchedule.makespan(perSimulation, concurrency);

    long waves = ((long) simulations * rounds + concurrency - 1) / concurrency;
    assertThat(makespan).isEqualTo(Duration.ofMillis(latencyMillis).multipliedBy(waves))
        .isEqualTo(MakespanHarness.ideal(simulations, rounds, Duration.ofMillis(latencyMillis), concurrency));
  }

  @Test
  void aPartialLastWaveHoldsWholeSimulationsNotSingleCalls() {
    // 10 simulations of 3 × 50 ms on 4 slots: waves of 4, 4, 2 simulations, each wave 150 ms.
    // (The call-count bound ceil(30/4)·50 ms = 400 ms is lower: it would split simulations.)
    long[] perSimulation = new long[10];
    Arrays.fill(perSimulation, 150_000_000L);

    assertThat(ZeroOverheadSchedule.makespan(perSimulation, 4)).isEqualTo(Duration.ofMillis(450));
    assertThat(MakespanHarness.ideal(10, 3, Duration.ofMillis(50), 4)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void drawnLatenciesFollowTheFreeSlotsInSequenceOrder() {
    // By hand, two slots, simulations taking 5, 3, 4, 1, 2 (units of 1 ms):
    // t=0: A takes #1 (ends 5), B takes #2 (ends 3); t=3: B takes #3 (ends 7);
    // t=5: A takes #4 (ends 6); t=6: A takes #5 (ends 8). Makespan 8; the bound is 15/2 = 7.5.
    long ms = 1_000_000L;
    long[] perSimulation = {5 * ms, 3 * ms, 4 * ms, 1 * ms, 2 * ms};

    assertThat(ZeroOverheadSchedule.makespan(perSimulation, 2)).isEqualTo(Duration.ofMillis(8));
    assertThat(MakespanHarness.idealOfDraws(Duration.ofMillis(15), Duration.ofMillis(5), 2))
        .isEqualTo(Duration.ofNanos(7_500_000));
  }

  @Test
  void moreSlotsThanSimulationsGivesTheLongestSimulation() {
    assertThat(ZeroOverheadSchedule.makespan(new long[] {4, 9, 2}, 10)).isEqualTo(Duration.ofNanos(9));
    assertThat(ZeroOverheadSchedule.makespan(new long[0], 3)).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsNoSlotsAndNegativeLatencies() {
    assertThatThrownBy(() -> ZeroOverheadSchedule.makespan(new long[] {1}, 0))
        .hasMessage("concurrency must be >= 1, was 0");
    assertThatThrownBy(() -> ZeroOverheadSchedule.makespan(new long[] {1, -2}, 1))
        .hasMessage("simulationNanos[1] is negative: -2");
  }
}
