package dev.cohort.reliability;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A worker process of {@link WorkerCrashTest}: on a JDBC store, creates the batch (first argument
 * after the URL {@code create}) or resumes it (a batch id), prints the batch id, runs it with a
 * slow simulated model that logs every answer, and prints {@value #DONE} with the final status
 * once the batch has ended, unless the test kills it first.
 *
 * <p>Arguments: JDBC URL, {@code create} or a batch id, answer log file, worker id, and optionally
 * the most answers the model gives (see {@link AnswerLog}).
 */
public final class WorkerMain {
  static final String BATCH_ID = "batch-id=";
  static final String DONE = "done status=";
  static final int SIMULATIONS = 40;
  static final int ROUNDS = 3;
  static final int TURNS = 2;
  static final int IN_FLIGHT = 8;
  static final Duration LEASE = Duration.ofSeconds(1);

  private WorkerMain() {}

  /** Runs the batch until it ends, or until killed. */
  public static void main(String[] args) {
    AnswerLog llm = new AnswerLog(
        SimulatedLlm.builder().seed(5).latency(Duration.ofMillis(10), Duration.ofMillis(40)).build(), Path.of(args[2]),
        args.length > 4 ? Long.parseLong(args[4]) : Long.MAX_VALUE);
    try (JdbcRepository repository = JdbcRepository.builder().url(args[0]).build();
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).workerId(args[3]).maxInFlight(IN_FLIGHT)
            .leaseDuration(LEASE).pollInterval(Duration.ofMillis(50)).build()) {
      runToEnd(cohort, args[1], WorkerMain::request);
    }
  }

  /**
   * What every crash-test worker does with its cohort: creates the batch ({@code create}, over 10
   * generated entities) or resumes the batch {@code createOrId}, prints {@value #BATCH_ID} and its
   * id, waits for its end and prints {@value #DONE} and the final status.
   */
  static void runToEnd(Cohort cohort, String createOrId, Supplier<BatchRequest> request) {
    String batchId;
    if (createOrId.equals("create")) {
      cohort.saveEntities(Entities.generated(10));
      batchId = cohort.createBatch(request.get()).id();
    } else {
      batchId = createOrId;
      cohort.resume(batchId);
    }
    System.out.println(BATCH_ID + batchId);
    System.out.flush();
    Batch done = cohort.await(batchId);
    System.out.println(DONE + done.status().wireName());
    System.out.flush();
  }

  static BatchRequest request() {
    return BatchRequest.builder()
        .name("crash test")
        .context("A committee decides where the new school should be built.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(SIMULATIONS)
        .nTurns(TURNS)
        .simulationRounds(ROUNDS)
        .seed(11L)
        .build();
  }
}
