package dev.cohort.reliability;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.openai.OpenAiChatModel;
import java.time.Duration;

/**
 * The doomed worker process of {@link OrphanJobCrashTest}: creates {@link BatchApiWorkerMain}'s
 * scripted {@code batch_api} batch, prints its id, and runs it on a model ({@link
 * HaltingBatchJobs}) that halts the JVM at its first job submission.
 *
 * <p>Arguments: JDBC URL, the fake's base URL, worker id, and when to halt ({@code AFTER_ACCEPT} or
 * {@code BEFORE_SEND}).
 */
public final class HaltingBatchApiWorkerMain {
  private HaltingBatchApiWorkerMain() {}

  /** Creates and runs the batch until the halt. */
  public static void main(String[] args) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(args[1]).apiKey("sk-test-0000111122223333").build();
    HaltingBatchJobs halting = new HaltingBatchJobs(model, HaltingBatchJobs.When.valueOf(args[3]));
    try (JdbcRepository repository = JdbcRepository.builder().url(args[0]).build();
        Cohort cohort = Cohort.builder().llm(halting).repository(repository).workerId(args[2])
            .leaseDuration(WorkerMain.LEASE).pollInterval(Duration.ofMillis(50))
            .batchJobPollInterval(Duration.ofMillis(50)).build()) {
      WorkerMain.runToEnd(cohort, "create", () -> BatchApiWorkerMain.request(SimulationMode.SCRIPTED));
    }
  }
}
