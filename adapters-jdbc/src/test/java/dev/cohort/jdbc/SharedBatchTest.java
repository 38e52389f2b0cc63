package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two workers, each with its own repository and connections, share one batch on PostgreSQL as two
 * processes on two machines would.
 */
class SharedBatchTest {
  private static final int SIMULATIONS = 5_000;
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Test
  void twoWorkersCompleteEverySimulationOfOneBatchExactlyOnce() throws Exception {
    String url = TestDatabase.POSTGRESQL.newUrl(null);
    CountingLlm llmA = new CountingLlm(SimulatedLlm.builder().seed(1).latency(Duration.ofMillis(1)).build(), null);
    CountingLlm llmB = new CountingLlm(SimulatedLlm.builder().seed(2).latency(Duration.ofMillis(1)).build(), null);
    try (JdbcRepository repoA = JdbcRepository.builder().url(url).build();
        JdbcRepository repoB = JdbcRepository.builder().url(url).build();
        Cohort a = cohort("worker-a", llmA, repoA)) {
      a.saveEntities(Entities.generated(30));
      Batch batch = a.createBatch(BatchRequest.builder()
          .name("shared")
          .context("Neighbours discuss a shared garden.")
          .entityIds(Entities.generated(30).stream().map(e -> e.id()).toList())
          .interactionSize(4)
          .numSimulations(SIMULATIONS)
          .seed(3L)
          .build());
      try (Cohort b = cohort("worker-b", llmB, repoB)) {
        b.resume(batch.id());

        Batch doneA = a.await(batch.id(), PATIENCE);
        Batch doneB = b.await(batch.id(), PATIENCE);

        assertThat(doneA.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(doneB.counts().completed()).isEqualTo(SIMULATIONS);
      }
      Set<Integer> sequences = new HashSet<>();
      AtomicInteger claimedTwice = new AtomicInteger();
      a.forEachSimulation(batch.id(), (Simulation s) -> {
        assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
        assertThat(s.turns()).hasSize(1);
        assertThat(sequences.add(s.sequenceNumber())).isTrue();
        if (s.attempts() != 1) {
          claimedTwice.incrementAndGet();
        }
      });
      assertThat(sequences).hasSize(SIMULATIONS);
      assertThat(claimedTwice).as("simulations claimed more than once").hasValue(0);
      assertThat(llmA.answers() + llmB.answers()).as("model answers, one per simulation").isEqualTo(SIMULATIONS);
      assertThat(llmA.answers()).as("worker a's share").isPositive();
      assertThat(llmB.answers()).as("worker b's share").isPositive();
    } finally {
      TestDatabase.POSTGRESQL.dispose(url);
    }
  }

  private static Cohort cohort(String workerId, CountingLlm llm, JdbcRepository repo) {
    return Cohort.builder().llm(llm).repository(repo).workerId(workerId).leaseDuration(Duration.ofSeconds(10))
        .build();
  }
}
