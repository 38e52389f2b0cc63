package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/batch-simulations/{id}/manifest} and the manifest export format, over loopback HTTP. */
class ManifestRouteTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(4);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aFinishedBatchsManifestNamesTheStoreModelDigestsAndUsage() throws Exception {
    String id = server.api.post("/api/batch-simulations", BatchRoutesTest.ORIGINAL_EXAMPLE).data().get("id").asText();
    server.awaitStatus(id, "completed");

    ApiClient.Response response = server.api.get("/api/batch-simulations/" + id + "/manifest");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode manifest = response.data();
    assertThat(manifest.get("batch_id").asText()).isEqualTo(id);
    assertThat(manifest.get("status").asText()).isEqualTo("completed");
    assertThat(manifest.get("store").get("kind").asText()).isEqualTo("memory");
    assertThat(manifest.get("models").get(0).get("model").asText()).isEqualTo("cohort-simulated-1");
    assertThat(manifest.get("models").get(0).get("simulations").asInt()).isEqualTo(3);
    assertThat(manifest.get("request_sha256").asText()).hasSize(64);
    assertThat(manifest.get("entities_sha256").asText()).hasSize(64);
    assertThat(manifest.get("prompts").get("templates_sha256").asText()).hasSize(64);
    assertThat(manifest.get("request").get("name").asText()).isEqualTo("Climate Change Discussion");
    assertThat(manifest.get("usage").get("total_tokens").asLong()).isPositive();
    assertThat(manifest.get("cache").get("replayed").asBoolean()).isFalse();

    JsonNode export = ApiClient.JSON.readTree(
        server.api.download("/api/batch-simulations/" + id + "/export?format=manifest").body());
    assertThat(export.get("request_sha256").asText()).isEqualTo(manifest.get("request_sha256").asText());
    JsonNode document = server.api.get("/api/batch-simulations/" + id).data();
    assertThat(document.has("manifest")).isFalse();
  }

  @Test
  void anUnknownBatchIs404() {
    assertThat(server.api.get("/api/batch-simulations/no-such-batch/manifest").status()).isEqualTo(404);
  }
}
