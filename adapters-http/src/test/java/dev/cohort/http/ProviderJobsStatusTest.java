package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.testkit.JobsKeptInProgress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status of a {@code batch_api} batch shows the provider jobs running for it. */
class ProviderJobsStatusTest {
  @Test
  void theStatusAndTheSummaryOfABatchApiBatchShowItsCurrentProviderJob() {
    try (TestServer server = TestServer.start(new JobsKeptInProgress(), builder -> { })) {
      server.saveEntities(4);
      ApiClient.Response created = server.api.post("/api/batch-simulations", """
          {"name": "Panel", "context": "A panel discussion", "entity_ids": ["entity-id-1", "entity-id-2",
           "entity-id-3", "entity-id-4"], "interaction_size": 2, "num_simulations": 2, "execution": "batch_api"}
          """);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String id = created.data().get("id").asText();

      JsonNode status = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
          .until(() -> server.api.get("/api/batch-simulations/" + id + "/status").data(),
              data -> data.path("provider_jobs").path(0).path("request_counts").path("completed").asLong() == 1);

      JsonNode job = status.get("provider_jobs").get(0);
      assertThat(status.get("provider_jobs")).hasSize(1);
      assertThat(job.get("id").asText()).isEqualTo("batch_kept_1");
      assertThat(job.get("status").asText()).isEqualTo("in_progress");
      assertThat(job.get("request_counts").get("total").asLong()).isEqualTo(2);
      assertThat(job.get("request_counts").get("failed").asLong()).isZero();
      assertThat(job.get("submitted_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      JsonNode summary = server.api.get("/api/batch-simulations/" + id + "?include_simulations=false").data();
      assertThat(summary.get("provider_jobs").get(0).get("id").asText()).isEqualTo("batch_kept_1");
    }
  }

  @Test
  void aDirectBatchsStatusHasNoProviderJobs() {
    try (TestServer server = TestServer.start()) {
      server.saveEntities(4);
      String id = server.createBatch(1);

      JsonNode status = server.awaitStatus(id, "completed");

      assertThat(status.has("provider_jobs")).isFalse();
    }
  }
}
