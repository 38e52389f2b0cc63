package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Progress counts the work done (completed and failed) of every simulation: a cancelled one is
 * still meant to run (a resume runs it), so it is not done.
 */
class BatchCountsTest {
  @Test
  void progressIsCompletedAndFailedOfAllSimulations() {
    BatchCounts counts = new BatchCounts(3, 1, 4, 2, 0);

    assertThat(counts.done()).isEqualTo(6);
    assertThat(counts.progress()).isCloseTo(0.6, within(1e-9));
  }

  @Test
  void aBatchCancelledPartWayIsNotShownAsDone() {
    BatchCounts cancelled = new BatchCounts(0, 0, 2, 1, 7);

    assertThat(cancelled.done()).isEqualTo(3);
    assertThat(cancelled.progress()).isCloseTo(0.3, within(1e-9));
    assertThat(batch(cancelled).progress()).isCloseTo(0.3, within(1e-9));
    assertThat(new BatchCounts(0, 0, 0, 0, 5).progress()).as("nothing ran").isZero();
  }

  private static Batch batch(BatchCounts counts) {
    BatchRequest request = BatchRequest.builder().name("n").context("c").entityIds(List.of("a"))
        .interactionSize(1).numSimulations(1).seed(1L).build();
    return new Batch("b", BatchStatus.CANCELLED, request, 10, 10, List.of(), Instant.EPOCH, null, null, null,
        counts, TokenUsage.ZERO, List.of());
  }
}
