package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code rerun_flagged} over REST: stored with the batch and shown in its JSON; a bad flag is a 400. */
class RerunFlaggedRouteTest {
  private static TestServer server;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api;
    server.saveEntities(2);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theFlagsAreStoredWithTheBatchAndShownInItsJson() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion", "entity_ids": ["entity-id-1", "entity-id-2"],
         "interaction_size": 2, "num_simulations": 1, "rerun_flagged": ["repetition", "refusal"]}
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.data().get("id").asText();
    server.awaitStatus(id, "completed");

    JsonNode batch = api.get("/api/batch-simulations/" + id).data();
    assertThat(batch.get("rerun_flagged").toString()).isEqualTo("[\"refusal\",\"repetition\"]");
    assertThat(batch.get("simulations").get(0).get("attempt_history").isArray()).isTrue();
  }

  @Test
  void anUnknownFlagOrTheEndOfBatchFlagIsA400NamingTheField() {
    ApiClient.Response unknown = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion", "entity_ids": ["entity-id-1", "entity-id-2"],
         "interaction_size": 2, "num_simulations": 1, "rerun_flagged": ["rudeness"]}
        """);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("rerun_flagged[0]: must be a quality flag").contains("rudeness");

    ApiClient.Response duplicate = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion", "entity_ids": ["entity-id-1", "entity-id-2"],
         "interaction_size": 2, "num_simulations": 1, "rerun_flagged": ["duplicate_transcript"]}
        """);
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.body()).contains("rerun_flagged: cannot name duplicate_transcript");
  }
}
