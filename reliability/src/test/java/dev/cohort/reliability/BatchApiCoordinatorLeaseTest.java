package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.Entities;
import dev.cohort.testkit.openai.FakeOpenAiServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One coordinator per {@code batch_api} batch, on one SQLite file shared by two {@link Cohort}
 * instances (each with its own repository, as two processes have) and one fake Batch API: the
 * second instance waits while the first holds the batch's coordinator lease, so the fake sees
 * exactly the jobs one coordinator submits; it takes over when the holder stops or dies, polling
 * the stored job instead of submitting it again; and a cancel from the instance that does not
 * coordinate cancels the provider job and stores what it finished.
 */
class BatchApiCoordinatorLeaseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;
  private FakeOpenAiServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = FakeOpenAiServer.start();
    server.otherwise(ScriptedTurns::answer);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void twoCoordinatorsOnOneStoreSubmitExactlyTheJobsOneCoordinatorSubmits() {
    // One coordinator alone: how many jobs the batch takes.
    String alone = Store.SQLITE.newUrl(dir);
    try (JdbcRepository repository = JdbcRepository.builder().url(alone).build();
        Cohort cohort = cohort(repository, "alone")) {
      cohort.saveEntities(Entities.generated(10));
      Batch batch = cohort.run(BatchApiWorkerMain.request(SimulationMode.SCRIPTED));
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    }
    int oneCoordinatorsJobs = server.batchSubmissions();
    assertThat(oneCoordinatorsJobs).isEqualTo(BatchApiWorkerMain.ROUNDS);

    // Two at once on one store.
    String shared = Store.SQLITE.newUrl(dir);
    try (JdbcRepository first = JdbcRepository.builder().url(shared).build();
        JdbcRepository second = JdbcRepository.builder().url(shared).build();
        Cohort a = cohort(first, "a");
        Cohort b = cohort(second, "b")) {
      a.saveEntities(Entities.generated(10));
      String batchId = a.createBatch(BatchApiWorkerMain.request(SimulationMode.SCRIPTED)).id();
      b.resume(batchId);

      assertThat(a.await(batchId).status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(b.await(batchId).status()).isEqualTo(BatchStatus.COMPLETED);

      assertThat(server.batchSubmissions() - oneCoordinatorsJobs).as("jobs the two submitted")
          .isEqualTo(oneCoordinatorsJobs);
      assertEveryRoundStoredOnce(first, batchId);
    }
  }

  @Test
  void whenTheCoordinatorIsKilledMidJobTheWaitingOneTakesOverAndPollsItsJob() throws Exception {
    server.holdBatchJobsInProgress(true);
    String url = Store.SQLITE.newUrl(dir);
    Process doomed = ChildJvm.start(List.of("-Xmx256m"), BatchApiWorkerMain.class,
        List.of(url, "create", server.baseUrl(), "doomed", "scripted"), dir.resolve("doomed.stderr"));
    String batchId = readLine(doomed, WorkerMain.BATCH_ID);
    try (JdbcRepository repository = JdbcRepository.builder().url(url).build();
        Cohort waiting = cohort(repository, "waiting")) {
      await("the first job stored and in progress").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
          .until(() -> {
            if (!doomed.isAlive()) {
              throw new AssertionError("the worker ended early; its standard error:\n"
                  + Files.readString(dir.resolve("doomed.stderr"), StandardCharsets.UTF_8));
            }
            return repository.findProviderJobs(batchId).size() == 1
                && server.batchJobStatuses().equals(List.of("in_progress"));
          });
      waiting.resume(batchId);

      // For longer than a lease, the waiting instance claims nothing: the holder keeps batch and simulations.
      await("the holder keeps the batch").during(WorkerMain.LEASE.multipliedBy(2)).atMost(Duration.ofSeconds(20))
          .until(() -> repository.findCoordinator(batchId).orElse("").equals("doomed")
              && repository.findLiveLeases(batchId).stream().map(HeldLease::owner).allMatch("doomed"::equals));

      doomed.destroyForcibly();
      assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).as("killed worker exited").isTrue();
      server.holdBatchJobsInProgress(false);

      assertThat(waiting.await(batchId).status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(server.batchSubmissions()).as("the killed coordinator's job polled, not submitted again")
          .isEqualTo(BatchApiWorkerMain.ROUNDS);
      assertEveryRoundStoredOnce(repository, batchId);
    }
  }

  @Test
  void whenTheCoordinatorStopsCleanlyTheWaitingOneTakesOverAtOnce() {
    server.holdBatchJobsInProgress(true);
    String url = Store.SQLITE.newUrl(dir);
    try (JdbcRepository first = JdbcRepository.builder().url(url).build();
        JdbcRepository second = JdbcRepository.builder().url(url).build();
        Cohort waiting = cohort(second, "waiting")) {
      String batchId;
      try (Cohort holder = cohort(first, "holder")) {
        holder.saveEntities(Entities.generated(10));
        batchId = holder.createBatch(BatchApiWorkerMain.request(SimulationMode.SCRIPTED)).id();
        await("the first job in progress").atMost(PATIENCE)
            .until(() -> server.batchJobStatuses().equals(List.of("in_progress")));
        waiting.resume(batchId);
        assertThat(first.findCoordinator(batchId)).contains("holder");
      }
      // Closed: the holder gave its lease and simulations back.
      server.holdBatchJobsInProgress(false);

      assertThat(waiting.await(batchId).status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(server.batchSubmissions()).isEqualTo(BatchApiWorkerMain.ROUNDS);
      assertEveryRoundStoredOnce(second, batchId);
      assertThat(second.findCoordinator(batchId)).as("released at the end").isEmpty();
    }
  }

  @Test
  void aCancelFromAnotherInstanceCancelsTheProviderJobAndStoresWhatItFinished() {
    server.holdBatchJobsInProgress(true);
    String url = Store.SQLITE.newUrl(dir);
    try (JdbcRepository first = JdbcRepository.builder().url(url).build();
        JdbcRepository second = JdbcRepository.builder().url(url).build();
        Cohort coordinator = cohort(first, "coordinator");
        Cohort elsewhere = cohort(second, "elsewhere")) {
      coordinator.saveEntities(Entities.generated(10));
      String batchId = coordinator.createBatch(BatchApiWorkerMain.request(SimulationMode.SCRIPTED)).id();
      await("the first job in progress").atMost(PATIENCE).until(() -> first.findProviderJobs(batchId).stream()
          .anyMatch(j -> j.state() == BatchJobState.IN_PROGRESS));

      Batch cancelled = elsewhere.cancel(batchId);

      assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(server.batchJobStatuses()).as("the provider job, cancelled").containsExactly("cancelled");
      assertThat(second.findProviderJobs(batchId)).singleElement().satisfies(job -> {
        assertThat(job.state()).isEqualTo(BatchJobState.CANCELLED);
        assertThat(job.applied()).isTrue();
        assertThat(job.completed()).isEqualTo(BatchApiWorkerMain.SIMULATIONS / 2);
      });
      StoredBatch batch = StoredBatch.read(second, batchId);
      // The fake's cancelled job answered the first half of its requests: their first rounds are stored.
      assertThat(batch.simulations).filteredOn(s -> !s.turns().isEmpty()).hasSize(BatchApiWorkerMain.SIMULATIONS / 2)
          .allSatisfy(s -> assertThat(s.turns()).extracting(Turn::round).containsOnly(1));
      assertThat(batch.simulations).extracting(Simulation::status).containsOnly(SimulationStatus.CANCELLED);
      assertThat(coordinator.await(batchId, PATIENCE).status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(server.batchSubmissions()).isEqualTo(1);
      assertThat(second.findCoordinator(batchId)).isEmpty();
    }
  }

  private Cohort cohort(JdbcRepository repository, String workerId) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333")
        .build();
    return Cohort.builder().llm(model).repository(repository).workerId(workerId).leaseDuration(WorkerMain.LEASE)
        .pollInterval(Duration.ofMillis(50)).batchJobPollInterval(Duration.ofMillis(50)).build();
  }

  private static void assertEveryRoundStoredOnce(JdbcRepository repository, String batchId) {
    List<ProviderJob> jobs = repository.findProviderJobs(batchId);
    assertThat(jobs).hasSize(BatchApiWorkerMain.ROUNDS).allMatch(ProviderJob::applied);
    StoredBatch batch = StoredBatch.read(repository, batchId).assertSettled();
    assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(BatchApiWorkerMain.SIMULATIONS);
    for (Simulation s : batch.simulations) {
      StoredBatch.assertTurnsGapFree(s, BatchApiWorkerMain.TURNS);
      assertThat(s.turns().stream().map(Turn::round).distinct().toList()).as("every round stored once")
          .containsExactly(1, 2, 3);
      assertThat(s.usage().calls()).as("one call a round").isEqualTo(BatchApiWorkerMain.ROUNDS);
    }
  }

  private static String readLine(Process child, String prefix) throws IOException, InterruptedException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new AssertionError("worker ended (exit " + child.waitFor() + ") before printing " + prefix);
  }
}
