package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a {@code Cohort} in the middle of a batch gives its running simulations back at once:
 * another worker resumes them without waiting for a lease to expire, and nothing is lost,
 * failed or stored twice.
 */
class CloseTest {
  /** Far longer than the test waits: a simulation left leased could not be taken over in time. */
  private static final Duration LONG_LEASE = Duration.ofMinutes(10);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Store.class, names = {"IN_MEMORY", "SQLITE", "POSTGRESQL"})
  void closeGivesRunningSimulationsBackForAnotherWorkerToFinish(Store store) throws Exception {
    try (Store.Opened opened = store.openNew(dir)) {
      RecordingRepository repository = new RecordingRepository(opened.repository());
      SimulatedLlm slow = SimulatedLlm.builder().seed(4).latency(Duration.ofMillis(5), Duration.ofMillis(25)).build();
      String batchId;
      try (Cohort first = Cohort.builder().llm(slow).repository(repository).workerId("first").maxInFlight(8)
          .leaseDuration(LONG_LEASE).build()) {
        first.saveEntities(Entities.generated(10));
        batchId = first.createBatch(request()).id();
        String running = batchId;
        await("10 simulations to complete").atMost(Duration.ofSeconds(60))
            .until(() -> StoredBatch.read(repository, running).batch.counts().completed() >= 10);
      }

      StoredBatch afterClose = StoredBatch.read(repository, batchId);
      assertThat(afterClose.withStatus(SimulationStatus.RUNNING)).extracting(Simulation::sequenceNumber)
          .as("simulations still leased after close").isEmpty();
      assertThat(afterClose.withStatus(SimulationStatus.FAILED)).extracting(Simulation::sequenceNumber)
          .as("simulations failed by close").isEmpty();
      assertThat(afterClose.batch.status()).isEqualTo(BatchStatus.IN_PROGRESS);

      try (Cohort second = Cohort.builder().llm(SimulatedLlm.builder().seed(4).build()).repository(repository)
          .workerId("second").leaseDuration(LONG_LEASE).resumeOnStart(true).build()) {
        Batch done = second.await(batchId, Duration.ofSeconds(60));

        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        StoredBatch.read(repository, batchId).assertSettled().assertEachResultWrittenOnce(repository);
      }
    }
  }

  private static BatchRequest request() {
    return BatchRequest.builder()
        .name("closing")
        .context("A book club picks next month's novel.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(60)
        .nTurns(2)
        .simulationRounds(3)
        .seed(21L)
        .build();
  }
}
