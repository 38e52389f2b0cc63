package dev.cohort.jdbc;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The worker process of {@link WorkerCrashTest}: creates a batch on the given database, prints its
 * id, and runs it with a slow simulated model until the test kills it.
 *
 * <p>Arguments: JDBC URL, file to count model answers in.
 */
public final class CrashingWorkerMain {
  static final String BATCH_ID = "batch-id=";
  static final int SIMULATIONS = 60;
  static final int ROUNDS = 3;
  static final int IN_FLIGHT = 8;
  static final Duration LEASE = Duration.ofSeconds(2);

  private CrashingWorkerMain() {}

  /** Runs until killed. */
  public static void main(String[] args) {
    CountingLlm llm = new CountingLlm(
        SimulatedLlm.builder().seed(5).latency(Duration.ofMillis(20), Duration.ofMillis(60)).build(), Path.of(args[1]));
    JdbcRepository repo = JdbcRepository.builder().url(args[0]).build();
    Cohort cohort = Cohort.builder().llm(llm).repository(repo).workerId("doomed").maxInFlight(IN_FLIGHT)
        .leaseDuration(LEASE).build();
    cohort.saveEntities(Entities.generated(10));
    Batch batch = cohort.createBatch(request());
    System.out.println(BATCH_ID + batch.id());
    System.out.flush();
    cohort.await(batch.id());
  }

  static BatchRequest request() {
    return BatchRequest.builder()
        .name("crash test")
        .context("A committee decides where the new school should be built.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(SIMULATIONS)
        .nTurns(2)
        .simulationRounds(ROUNDS)
        .seed(11L)
        .build();
  }
}
