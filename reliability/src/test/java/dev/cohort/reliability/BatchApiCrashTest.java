package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.RoleplayTurns;
import dev.cohort.testkit.openai.ScriptedTurns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process coordinating a {@code batch_api} batch on SQLite is killed with SIGKILL while its
 * first provider job is in progress; the fake Batch API runs here, in the parent, and outlives it.
 * A new process resumes the batch: it polls the stored job instead of submitting round 1 again,
 * stores its answers, and finishes the batch with one job per round and every round stored once.
 * A role-play batch goes the same way with one job per turn number, every turn stored once.
 */
class BatchApiCrashTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void aKilledCoordinatorsJobIsPolledAfterRestartNotSubmittedAgain() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(ScriptedTurns::answer);
      String url = Store.SQLITE.newUrl(dir);
      String batchId = killDuringFirstJobAndResume(server, url, "scripted");

      // Round 1's job was polled, not submitted again: one job per round in all.
      assertThat(server.batchSubmissions()).isEqualTo(BatchApiWorkerMain.ROUNDS);
      try (Store.Opened opened = Store.SQLITE.open(url)) {
        List<ProviderJob> jobs = opened.repository().findProviderJobs(batchId);
        assertThat(jobs).hasSize(BatchApiWorkerMain.ROUNDS).allMatch(ProviderJob::applied);
        StoredBatch batch = StoredBatch.read(opened.repository(), batchId).assertSettled();
        assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(BatchApiWorkerMain.SIMULATIONS);
        for (Simulation s : batch.simulations) {
          StoredBatch.assertTurnsGapFree(s, BatchApiWorkerMain.TURNS);
          List<Integer> rounds = s.turns().stream().map(Turn::round).distinct().collect(Collectors.toList());
          assertThat(rounds).as("every round stored once").containsExactly(1, 2, 3);
          assertThat(s.usage().calls()).as("one call a round").isEqualTo(BatchApiWorkerMain.ROUNDS);
        }
      }
    }
  }

  @Test
  void aKilledRoleplayCoordinatorsTurnJobIsPolledAfterRestartNotSubmittedAgain() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(RoleplayTurns::answer);
      String url = Store.SQLITE.newUrl(dir);
      String batchId = killDuringFirstJobAndResume(server, url, "roleplay");

      // Turn 1's job was polled, not submitted again: one job per turn number in all.
      int turns = BatchApiWorkerMain.ROUNDS * BatchApiWorkerMain.TURNS;
      assertThat(server.batchSubmissions()).isEqualTo(turns);
      try (Store.Opened opened = Store.SQLITE.open(url)) {
        List<ProviderJob> jobs = opened.repository().findProviderJobs(batchId);
        assertThat(jobs).hasSize(turns).allMatch(ProviderJob::applied);
        StoredBatch batch = StoredBatch.read(opened.repository(), batchId).assertSettled();
        assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(BatchApiWorkerMain.SIMULATIONS);
        for (Simulation s : batch.simulations) {
          StoredBatch.assertTurnsGapFree(s, BatchApiWorkerMain.TURNS);
          assertThat(s.turns()).as("every turn stored once").hasSize(turns);
          assertThat(s.usage().calls()).as("one call a turn").isEqualTo(turns);
        }
      }
    }
  }

  /**
   * Starts a worker on a new {@code mode} batch in the database at {@code url}, kills it with
   * SIGKILL while the first job is in progress, then lets a new worker resume the batch to its end.
   *
   * @return the batch id
   */
  private String killDuringFirstJobAndResume(FakeOpenAiServer server, String url, String mode) throws Exception {
    server.holdBatchJobsInProgress(true);

    Process doomed = start(url, "create", server, "doomed", mode);
    String batchId = readLine(doomed, output(doomed), WorkerMain.BATCH_ID, "doomed");
    Path stderr = dir.resolve("doomed.stderr");
    await("the first job stored and in progress").atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> {
      if (!doomed.isAlive()) {
        throw new AssertionError("the worker ended early; its standard error:\n"
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return Store.count(url, "SELECT COUNT(*) FROM provider_jobs") == 1
          && server.batchJobStatuses().equals(List.of("in_progress"));
    });
    doomed.destroyForcibly();
    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).as("killed worker exited").isTrue();
    assertThat(server.batchSubmissions()).isEqualTo(1);

    server.holdBatchJobsInProgress(false);
    Process rescuer = start(url, batchId, server, "rescuer", mode);
    BufferedReader out = output(rescuer);
    readLine(rescuer, out, WorkerMain.BATCH_ID, "rescuer");
    assertThat(readLine(rescuer, out, WorkerMain.DONE, "rescuer")).isEqualTo(BatchStatus.COMPLETED.wireName());
    assertThat(rescuer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return batchId;
  }

  private Process start(String url, String batchId, FakeOpenAiServer server, String worker, String mode) {
    return ChildJvm.start(List.of("-Xmx256m"), BatchApiWorkerMain.class,
        List.of(url, batchId, server.baseUrl(), worker, mode), dir.resolve(worker + ".stderr"));
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
