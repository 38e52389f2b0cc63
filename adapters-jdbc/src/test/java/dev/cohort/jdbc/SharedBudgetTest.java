package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.spend.Budget;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three workers, each with its own repository and connections, share one batch with a money budget
 * on PostgreSQL: together they never pass it by more than the calls that were in flight when it was
 * reached, the batch ends cancelled, and it completes when resumed with a higher budget.
 */
class SharedBudgetTest {
  private static final int SIMULATIONS = 120;
  private static final int IN_FLIGHT_PER_WORKER = 4;
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  /** A tenth of a cent per token: a call of a few hundred tokens costs tens of cents. */
  private static final PriceTable PRICES =
      PriceTable.builtIn().with(SimulatedLlm.MODEL_NAME, ModelPrice.of(1000, 1000, 1000));

  @Test
  void threeWorkersNeverPassTheBudgetByMoreThanTheCallsInFlight() throws Exception {
    String url = TestDatabase.POSTGRESQL.newUrl(null);
    try (JdbcRepository repoA = JdbcRepository.builder().url(url).build();
        JdbcRepository repoB = JdbcRepository.builder().url(url).build();
        JdbcRepository repoC = JdbcRepository.builder().url(url).build();
        Cohort a = cohort("worker-a", 1, repoA)) {
      a.saveEntities(Entities.generated(12));
      double cap = 10.0;
      Batch batch = a.createDetachedBatch(BatchRequest.builder()
          .name("shared budget")
          .context("Neighbours argue about the cost of a shared garden.")
          .entityIds(Entities.generated(12).stream().map(e -> e.id()).toList())
          .interactionSize(3)
          .numSimulations(SIMULATIONS)
          .nTurns(2)
          .seed(5L)
          .llm(new LlmOptions(SimulatedLlm.MODEL_NAME, null, null))
          .maxCostUsd(cap)
          .build());
      try (Cohort b = cohort("worker-b", 2, repoB); Cohort c = cohort("worker-c", 3, repoC)) {
        a.resume(batch.id());
        b.resume(batch.id());
        c.resume(batch.id());

        a.await(batch.id(), PATIENCE);
        b.await(batch.id(), PATIENCE);
        Batch stopped = c.await(batch.id(), PATIENCE);

        assertThat(stopped.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(stopped.error()).startsWith("budget reached");
        DoubleAccumulator dearestCall = new DoubleAccumulator(Math::max, 0);
        AtomicInteger completed = new AtomicInteger();
        a.forEachSimulation(batch.id(), s -> {
          if (s.costUsd() != null && s.usage().calls() > 0) {
            dearestCall.accumulate(s.costUsd() / s.usage().calls());
          }
          if (s.status() == SimulationStatus.COMPLETED) {
            completed.incrementAndGet();
          }
        });
        double spent = repoA.spentOn(batch.id()).costUsd();
        int inFlight = 3 * IN_FLIGHT_PER_WORKER;
        System.out.printf("budget $%.2f, spent $%.4f (batch cost $%.4f), dearest call $%.4f, %d of %d completed%n",
            cap, spent, stopped.costUsd(), dearestCall.get(), completed.get(), SIMULATIONS);
        assertThat(completed.get()).isPositive().isLessThan(SIMULATIONS);
        assertThat(spent).as("spent, at most the budget plus the calls in flight when it was reached")
            .isLessThanOrEqualTo(cap + inFlight * dearestCall.get());
        assertThat(stopped.costUsd()).isLessThanOrEqualTo(spent + 1e-9);

        a.resume(batch.id(), Budget.ofUsd(1_000));
        Batch done = a.await(batch.id(), PATIENCE);
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.counts().completed()).isEqualTo(SIMULATIONS);
      }
    } finally {
      TestDatabase.POSTGRESQL.dispose(url);
    }
  }

  @Test
  void aCrashedWorkersReservationExpiresWithItsLease() throws Exception {
    String url = TestDatabase.POSTGRESQL.newUrl(null);
    try (JdbcRepository repo = JdbcRepository.builder().url(url).build();
        Cohort cohort = cohort("survivor", 1, repo)) {
      cohort.saveEntities(Entities.generated(4));
      Batch batch = cohort.createDetachedBatch(BatchRequest.builder()
          .name("crash").context("A short chat.")
          .entityIds(Entities.generated(4).stream().map(e -> e.id()).toList())
          .interactionSize(2).numSimulations(3).seed(1L)
          .llm(new LlmOptions(SimulatedLlm.MODEL_NAME, null, null))
          .maxCostUsd(100.0).build());
      // The crashed worker claimed a simulation and reserved nearly the whole budget, then died.
      var crashed = repo.claim(batch.id(), "crashed-worker", 1, Duration.ofMillis(300)).get(0);
      assertThat(repo.reserveSpend(crashed.lease(), 99.99, 10, 100.0, null)).isEqualTo(SpendReservation.RESERVED);
      Awaitility.await().atMost(PATIENCE).until(() -> repo.findLiveLeases(batch.id()).isEmpty());

      cohort.resume(batch.id());
      Batch done = cohort.await(batch.id(), PATIENCE);

      assertThat(done.status()).as("the reservation expired with the crashed worker's lease")
          .isEqualTo(BatchStatus.COMPLETED);
      assertThat(done.counts().completed()).isEqualTo(3);
    } finally {
      TestDatabase.POSTGRESQL.dispose(url);
    }
  }

  private static Cohort cohort(String workerId, int seed, JdbcRepository repo) {
    return Cohort.builder()
        .llm(SimulatedLlm.builder().seed(seed).latency(Duration.ofMillis(20)).build())
        .repository(repo).workerId(workerId).prices(PRICES).maxInFlight(IN_FLIGHT_PER_WORKER)
        .leaseDuration(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
        .build();
  }
}
