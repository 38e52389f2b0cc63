package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /{id}/analysis and GET /{id}/report over real loopback HTTP, on a batch the offline model ran. */
class AnalysisRoutesTest {
  private static TestServer server;
  private static ApiClient api;
  private static String id;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api;
    server.saveEntities(4);
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion", "n_turns": 2,
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
         "interaction_size": 2, "num_simulations": 6,
         "outcomes": [{"name": "agreed", "type": "boolean", "question": "Did they agree?"},
                      {"name": "warmth", "type": "integer", "min": 1, "max": 5, "question": "How warm?"}]}
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    id = created.data().get("id").asText();
    server.awaitStatus(id, "completed");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void analysisIsJsonInTheEnvelopeWithSnakeCaseFields() {
    ApiClient.Response response = api.get("/api/batch-simulations/" + id + "/analysis");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode data = response.data();
    assertThat(data.get("batch_id").asText()).isEqualTo(id);
    assertThat(data.get("simulations").asLong()).isEqualTo(6);
    assertThat(data.get("flagged_included").asBoolean()).isFalse();
    assertThat(data.get("outcomes").findValuesAsText("name")).containsExactly("agreed", "warmth");
    JsonNode warmth = data.get("outcomes").get(1);
    assertThat(warmth.get("summary").get("n").asLong()).isEqualTo(data.get("analysed").asLong());
    assertThat(warmth.get("summary").get("interval").asText()).isEqualTo("t");
    assertThat(data.get("outcomes").get(0).get("summary").get("interval").asText()).isEqualTo("wilson");
    assertThat(warmth.get("entity_effects")).hasSize(4);
    assertThat(warmth.get("entity_effects").get(0).has("p_holm")).isTrue();

    JsonNode one = api.get("/api/batch-simulations/" + id + "/analysis?outcome=agreed&include_flagged=true").data();
    assertThat(one.get("outcomes").findValuesAsText("name")).containsExactly("agreed");
    assertThat(one.get("flagged_included").asBoolean()).isTrue();
  }

  @Test
  void reportIsHtmlThatMayLoadNothing() {
    ApiClient.Response response = api.get("/api/batch-simulations/" + id + "/report");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(response.header("Content-Security-Policy")).startsWith("default-src 'none';")
        .doesNotContain("script-src");
    assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("<h1>Panel</h1>").contains("id=\"sim-1\"");
  }

  @Test
  void unknownOutcomeIs400AndUnknownBatchIs404() {
    ApiClient.Response bad = api.get("/api/batch-simulations/" + id + "/analysis?outcome=mood");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).contains("declares no outcome named \"mood\"");
    assertThat(api.get("/api/batch-simulations/nope/analysis").status()).isEqualTo(404);
    assertThat(api.get("/api/batch-simulations/nope/report").status()).isEqualTo(404);
  }
}
