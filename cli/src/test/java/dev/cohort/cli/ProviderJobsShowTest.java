package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.internal.codec.ProviderJobsJson;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.JobsKeptInProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code batches show} and the progress line of a {@code batch_api} batch show the provider job running for it. */
class ProviderJobsShowTest {
  @TempDir
  Path dir;

  @Test
  void showPrintsTheCurrentProviderJobInTextAndJson() throws Exception {
    Path db = dir.resolve("cohort.db");
    String id;
    try (Cohort cohort = cohortWithAJobInProgress(db)) {
      id = startBatchAndAwaitItsJob(cohort);
    }
    String url = "jdbc:sqlite:" + db;

    CohortCli.Result text = InProcess.run("batches", "show", id, "--db", url);
    CohortCli.Result json = InProcess.run("batches", "show", id, "--json", "--db", url);

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out()).contains("Provider jobs:", "batch_kept_1 in_progress, 1/2 requests done, 0 failed, submitted ");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode job = new ObjectMapper().readTree(json.out()).path("provider_jobs").path(0);
    assertThat(job.path("id").asText()).isEqualTo("batch_kept_1");
    assertThat(job.path("status").asText()).isEqualTo("in_progress");
    assertThat(job.path("request_counts").path("completed").asLong()).isEqualTo(1);
    assertThat(job.path("request_counts").path("total").asLong()).isEqualTo(2);
    assertThat(job.path("submitted_at").asText()).endsWith("Z");
  }

  @Test
  void theProgressLineShowsTheJobTheBatchWaitsOn() {
    StringWriter err = new StringWriter();
    ProgressView lines = ProgressView.create(ProgressMode.LINES, new PrintWriter(err), Duration.ZERO);
    try (Cohort cohort = cohortWithAJobInProgress(dir.resolve("cohort.db"))) {
      String id = startBatchAndAwaitItsJob(cohort);

      lines.update(cohort.getBatch(id), ProviderJobsJson.current(cohort.providerJobs(id)));
    }

    assertThat(err.toString()).startsWith("Progress: 0/2").contains("  job batch_kept_1 in_progress 1/2");
  }

  private static Cohort cohortWithAJobInProgress(Path db) {
    return Cohort.builder().llm(new JobsKeptInProgress()).repository(JdbcRepository.sqlite(db)).build();
  }

  /** Starts a two-simulation {@code batch_api} batch; returns its id once its job has one request done. */
  private static String startBatchAndAwaitItsJob(Cohort cohort) {
    cohort.saveEntities(List.of(Entity.of("a", "A", "Person A."), Entity.of("b", "B", "Person B."),
        Entity.of("c", "C", "Person C.")));
    Batch batch = cohort.createBatch(BatchRequest.builder().name("panel").context("A panel")
        .entityIds(List.of("a", "b", "c")).interactionSize(2).numSimulations(2).nTurns(2)
        .execution(Execution.BATCH_API).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> cohort.providerJobs(batch.id()).stream()
        .anyMatch(j -> j.completed() == 1));
    return batch.id();
  }
}
