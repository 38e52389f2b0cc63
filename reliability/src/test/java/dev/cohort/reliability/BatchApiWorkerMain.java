package dev.cohort.reliability;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.Entities;
import java.time.Duration;

/**
 * A worker process of {@link BatchApiCrashTest}: {@link WorkerMain}'s life (create or resume,
 * print the batch id, run, print {@value WorkerMain#DONE}) for a {@code batch_api} batch whose jobs
 * go to the fake Batch API the parent runs.
 *
 * <p>Arguments: JDBC URL, {@code create} or a batch id, the fake's base URL, worker id, and
 * optionally the batch's mode ({@code scripted}, the default, or {@code roleplay}).
 */
public final class BatchApiWorkerMain {
  static final int SIMULATIONS = 40;
  static final int ROUNDS = 3;
  static final int TURNS = 2;

  private BatchApiWorkerMain() {}

  /** Runs the batch until it ends, or until killed. */
  public static void main(String[] args) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(args[2]).apiKey("sk-test-0000111122223333").build();
    try (JdbcRepository repository = JdbcRepository.builder().url(args[0]).build();
        Cohort cohort = Cohort.builder().llm(model).repository(repository).workerId(args[3])
            .leaseDuration(WorkerMain.LEASE).pollInterval(Duration.ofMillis(50))
            .batchJobPollInterval(Duration.ofMillis(50)).build()) {
      SimulationMode mode = args.length > 4
          ? SimulationMode.fromWireName(args[4]).orElseThrow(() -> new IllegalArgumentException("mode " + args[4]))
          : SimulationMode.SCRIPTED;
      WorkerMain.runToEnd(cohort, args[1], () -> request(mode));
    }
  }

  static BatchRequest request(SimulationMode mode) {
    return BatchRequest.builder()
        .name("batch api crash test")
        .context("A committee decides where the new school should be built.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(2)
        .numSimulations(SIMULATIONS)
        .nTurns(TURNS)
        .simulationRounds(ROUNDS)
        .seed(11L)
        .execution(Execution.BATCH_API)
        .mode(mode)
        .build();
  }
}
