package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchStatusTest {

  @ParameterizedTest(name = "pending={0} running={1} completed={2} failed={3} cancelled={4} -> {5}")
  @CsvSource({
    "3, 0, 0, 0, 0, PENDING",
    "2, 1, 0, 0, 0, IN_PROGRESS",
    "0, 1, 0, 0, 0, IN_PROGRESS",
    "1, 0, 1, 0, 0, IN_PROGRESS",
    "1, 0, 0, 1, 0, IN_PROGRESS",
    "0, 0, 3, 0, 0, COMPLETED",
    "0, 0, 0, 3, 0, FAILED",
    "0, 0, 2, 1, 0, PARTIAL",
    "0, 0, 2, 0, 1, CANCELLED",
    "0, 0, 0, 0, 3, CANCELLED",
    "0, 0, 1, 1, 1, CANCELLED",
    "0, 0, 0, 0, 0, COMPLETED",
  })
  void aggregateFollowsTheCounts(long pending, long running, long completed, long failed, long cancelled,
      BatchStatus expected) {
    assertThat(BatchStatus.aggregate(new BatchCounts(pending, running, completed, failed, cancelled)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"PENDING, false", "IN_PROGRESS, false", "COMPLETED, true", "PARTIAL, true", "FAILED, true", "CANCELLED, true"})
  void terminalStatuses(BatchStatus status, boolean terminal) {
    assertThat(status.isTerminal()).isEqualTo(terminal);
    assertThat(BatchStatus.fromWireName(status.wireName())).isEqualTo(status);
  }
}
