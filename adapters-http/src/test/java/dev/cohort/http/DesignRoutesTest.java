package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The study design over HTTP: design fields on create, GET coverage, POST extend. */
class DesignRoutesTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(6);
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aBalancedBatchShowsItsDesignCoverageAndGrowsByExtend() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Balanced", "context": "A panel", "interaction_size": 2, "num_simulations": 6, "seed": 3,
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4", "entity-id-5", "entity-id-6"],
         "design": {"type": "balanced"}, "speaking_order": "rotate"}
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.data().get("id").asText();
    server.awaitStatus(id, "completed");

    ApiClient.Response coverage = api.get("/api/batch-simulations/" + id + "/coverage");
    assertThat(coverage.status()).as(coverage.body()).isEqualTo(200);
    JsonNode data = coverage.data();
    assertThat(data.get("simulations").asInt()).isEqualTo(6);
    assertThat(data.get("appearances").get("min").asInt()).isEqualTo(2);
    assertThat(data.get("appearances").get("range").asInt()).isZero();
    assertThat(data.get("pairs").get("possible").asInt()).isEqualTo(15);
    assertThat(data.get("pairs").get("covered").asInt()).isEqualTo(6);
    assertThat(data.get("entities")).hasSize(6);

    ApiClient.Response extended = api.post("/api/batch-simulations/" + id + "/extend", "{\"num_simulations\": 3}");
    assertThat(extended.status()).as(extended.body()).isEqualTo(200);
    server.awaitStatus(id, "completed");
    JsonNode batch = api.get("/api/batch-simulations/" + id + "?include_simulations=false").data();
    assertThat(batch.get("design").get("type").asText()).isEqualTo("balanced");
    assertThat(batch.get("speaking_order").asText()).isEqualTo("rotate");
    JsonNode extension = batch.get("extensions").get(0);
    assertThat(extension.get("num_simulations").asInt()).isEqualTo(3);
    assertThat(extension.get("first_sequence_number").asInt()).isEqualTo(7);
    assertThat(api.get("/api/batch-simulations/" + id + "/coverage").data().get("appearances").get("min").asInt())
        .isEqualTo(3);
  }

  @Test
  void badDesignRequestsAre400AndUnknownBatches404() {
    ApiClient.Response bad = api.post("/api/batch-simulations", """
        {"name": "Bad", "context": "A panel", "interaction_size": 2, "num_simulations": 2,
         "entity_ids": ["entity-id-1", "entity-id-2"], "design": {"type": "balanced", "groups": [["entity-id-1"]]}}
        """);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).contains("design.groups");
    String id = server.createBatch(1);
    assertThat(api.post("/api/batch-simulations/" + id + "/extend", "{\"num_simulations\": 0}").status()).isEqualTo(400);
    assertThat(api.post("/api/batch-simulations/" + id + "/extend", "{\"more\": 1}").message())
        .contains("more: is not a known field");
    assertThat(api.get("/api/batch-simulations/no-such/coverage").status()).isEqualTo(404);
    assertThat(api.post("/api/batch-simulations/no-such/extend", "{\"num_simulations\": 1}").status()).isEqualTo(404);
  }
}
