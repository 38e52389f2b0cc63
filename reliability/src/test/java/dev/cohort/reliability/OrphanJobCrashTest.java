package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.ScriptedTurns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process coordinating a {@code batch_api} batch on SQLite halts ({@link Runtime#halt}, as a
 * SIGKILL would stop it) at its first job submission, through a test model ({@link
 * HaltingBatchJobs}), not a hook in Cohort: once right after the provider accepted the job and
 * before the store saved it, once just before the submission was sent. The fake Batch API runs
 * here, in the parent, and outlives it. A new process resumes the batch on the same store: it
 * finds the accepted job at the provider by its submission key and polls it (never submitting
 * round 1 again), or, when the provider has no such job, submits round 1 anew; either way the
 * batch completes with one job per round and every round stored once.
 */
class OrphanJobCrashTest {
  private static final long PATIENCE_SECONDS = 120;

  @TempDir Path dir;

  @Test
  void aJobAcceptedButNotStoredIsFoundAtTheProviderAndAdoptedNotSubmittedAgain() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(ScriptedTurns::answer).stampBatchJobsWith(Clock.systemUTC());
      String url = Store.SQLITE.newUrl(dir);

      String batchId = haltAtFirstSubmission(server, url, HaltingBatchJobs.When.AFTER_ACCEPT);
      assertThat(server.batchSubmissions()).as("the provider accepted the first job").isEqualTo(1);
      assertThat(Store.count(url, "SELECT COUNT(*) FROM provider_jobs")).as("nobody stored it").isZero();
      assertThat(Store.count(url, "SELECT COUNT(*) FROM submission_intents")).isEqualTo(1);

      resume(server, url, batchId);

      assertThat(server.batchSubmissions()).as("round 1's job adopted: one job per round in all")
          .isEqualTo(BatchApiWorkerMain.ROUNDS);
      List<ProviderJob> jobs = assertCompletedWithEveryRoundOnce(url, batchId);
      assertThat(jobs.get(0).jobId()).as("the job the halted process submitted").isEqualTo(server.batchJobIds().get(0));
    }
  }

  @Test
  void aSubmissionThatNeverReachedTheProviderIsSubmittedAnew() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(ScriptedTurns::answer).stampBatchJobsWith(Clock.systemUTC());
      String url = Store.SQLITE.newUrl(dir);

      String batchId = haltAtFirstSubmission(server, url, HaltingBatchJobs.When.BEFORE_SEND);
      assertThat(server.batchSubmissions()).isZero();
      assertThat(Store.count(url, "SELECT COUNT(*) FROM submission_intents")).isEqualTo(1);

      resume(server, url, batchId);

      assertThat(server.batchSubmissions()).isEqualTo(BatchApiWorkerMain.ROUNDS);
      List<ProviderJob> jobs = assertCompletedWithEveryRoundOnce(url, batchId);
      assertThat(jobs.get(0).jobId()).as("round 1 submitted by the new process")
          .isEqualTo(server.batchJobIds().get(0));
    }
  }

  /** Creates the batch in a process that halts at its first submission; returns the batch id. */
  private String haltAtFirstSubmission(FakeOpenAiServer server, String url, HaltingBatchJobs.When when)
      throws Exception {
    Path stderr = dir.resolve("doomed.stderr");
    Process doomed = ChildJvm.start(List.of("-Xmx256m"), HaltingBatchApiWorkerMain.class,
        List.of(url, server.baseUrl(), "doomed", when.name()), stderr);
    // The halt may come before the child prints the batch id: the store names it.
    assertThat(doomed.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the doomed worker halted").isTrue();
    assertThat(doomed.exitValue()).as("halted at the submission; its standard error:\n%s",
        Files.readString(stderr, StandardCharsets.UTF_8)).isEqualTo(HaltingBatchJobs.HALT_STATUS);
    try (Store.Opened opened = Store.SQLITE.open(url)) {
      List<Batch> batches = opened.repository().listBatches(0, 10);
      assertThat(batches).hasSize(1);
      return batches.get(0).id();
    }
  }

  /** Resumes the batch in a new process on the same store and waits for it to complete. */
  private void resume(FakeOpenAiServer server, String url, String batchId) throws Exception {
    Process rescuer = ChildJvm.start(List.of("-Xmx256m"), BatchApiWorkerMain.class,
        List.of(url, batchId, server.baseUrl(), "rescuer", "scripted"), dir.resolve("rescuer.stderr"));
    BufferedReader out = output(rescuer);
    readLine(rescuer, out, WorkerMain.BATCH_ID, "rescuer");
    assertThat(readLine(rescuer, out, WorkerMain.DONE, "rescuer")).isEqualTo(BatchStatus.COMPLETED.wireName());
    assertThat(rescuer.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** The batch completed, one applied job per round, every round of every simulation stored once. */
  private static List<ProviderJob> assertCompletedWithEveryRoundOnce(String url, String batchId) throws Exception {
    assertThat(Store.count(url, "SELECT COUNT(*) FROM submission_intents")).as("every intent resolved").isZero();
    try (Store.Opened opened = Store.SQLITE.open(url)) {
      List<ProviderJob> jobs = opened.repository().findProviderJobs(batchId);
      assertThat(jobs).hasSize(BatchApiWorkerMain.ROUNDS).allMatch(ProviderJob::applied);
      for (int round = 1; round <= BatchApiWorkerMain.ROUNDS; round++) {
        String marker = "-r" + round + "-";
        assertThat(jobs.stream().filter(j -> j.customIds().stream().anyMatch(id -> id.contains(marker))))
            .as("jobs carrying round %d", round).hasSize(1);
      }
      StoredBatch batch = StoredBatch.read(opened.repository(), batchId).assertSettled();
      assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(BatchApiWorkerMain.SIMULATIONS);
      for (Simulation s : batch.simulations) {
        StoredBatch.assertTurnsGapFree(s, BatchApiWorkerMain.TURNS);
        List<Integer> rounds = s.turns().stream().map(Turn::round).distinct().collect(Collectors.toList());
        assertThat(rounds).as("every round stored once").containsExactly(1, 2, 3);
        assertThat(s.usage().calls()).as("one call a round").isEqualTo(BatchApiWorkerMain.ROUNDS);
      }
      return jobs;
    }
  }

  private static BufferedReader output(Process child) {
    return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String readLine(Process child, BufferedReader out, String prefix, String worker)
      throws IOException, InterruptedException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new AssertionError("worker " + worker + " ended (exit " + child.waitFor() + ") before printing " + prefix);
  }
}
