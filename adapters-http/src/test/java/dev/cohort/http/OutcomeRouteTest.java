package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Outcomes over REST: declared at creation, extracted again with POST /{id}/outcomes, exported per participant. */
class OutcomeRouteTest {
  private static TestServer server;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api;
    server.saveEntities(4);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String create() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion", "n_turns": 2,
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
         "interaction_size": 2, "num_simulations": 3, "outcome_model": "small",
         "outcomes": [{"name": "agreed", "type": "boolean", "question": "Did they agree?"},
                      {"name": "stance", "type": "enum", "values": ["for", "against"], "per": "participant",
                       "question": "Final stance?"}]}
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.data().get("id").asText();
  }

  @Test
  void declaredOutcomesAreExtractedAndShownWithTheBatchAndEachSimulation() {
    String id = create();
    server.awaitStatus(id, "completed");

    JsonNode batch = api.get("/api/batch-simulations/" + id).data();
    assertThat(batch.get("outcome_model").asText()).isEqualTo("small");
    assertThat(batch.get("outcomes").findValuesAsText("name")).containsExactly("agreed", "stance");
    for (JsonNode simulation : batch.get("simulations")) {
      assertThat(simulation.get("outcomes").get("agreed").isBoolean()).isTrue();
      assertThat(simulation.get("outcomes").get("stance").size()).isEqualTo(2);
      assertThat(simulation.get("outcome_error").isNull()).isTrue();
    }
  }

  @Test
  void postOutcomesExtractsAgainWithoutSimulatingAndTheParticipantTableShowsTheNewColumn() {
    String id = create();
    server.awaitStatus(id, "completed");
    String before = api.get("/api/batch-simulations/" + id).data().get("simulations").get(0).get("content").asText();

    ApiClient.Response accepted = api.post("/api/batch-simulations/" + id + "/outcomes", """
        {"outcomes": [{"name": "leader", "type": "entity", "question": "Who led?", "per": "simulation"},
                      {"name": "warmth", "type": "integer", "min": 1, "max": 5, "per": "participant",
                       "question": "How warm was this participant?"}]}
        """);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    server.awaitStatus(id, "completed");

    JsonNode simulation = api.get("/api/batch-simulations/" + id).data().get("simulations").get(0);
    assertThat(simulation.get("content").asText()).isEqualTo(before);
    assertThat(simulation.get("outcomes").fieldNames()).toIterable()
        .containsExactly("agreed", "stance", "leader", "warmth");
    assertThat(TestServer.texts(simulation.get("entity_ids"))).contains(simulation.get("outcomes").get("leader").asText());

    ApiClient.Response table = api.get("/api/batch-simulations/" + id + "/export?format=participants_csv");
    assertThat(table.status()).isEqualTo(200);
    List<String> lines = table.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("simulation_id,sequence_number,status,entity_id,entity_name,attr.index,"
        + "outcome.stance,outcome.warmth,turns,words,spoke_first,model");
    assertThat(lines).hasSize(1 + 3 * 2);
  }

  @Test
  void anInvalidDeclarationIsA400NamingEachFieldAndAnUnknownBatchA404() {
    String id = create();
    server.awaitStatus(id, "completed");

    ApiClient.Response bad = api.post("/api/batch-simulations/" + id + "/outcomes", """
        {"outcomes": [{"name": "x y", "type": "enum", "question": "q"}], "replace": "yes"}
        """);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("replace: must be true or false");

    ApiClient.Response invalid = api.post("/api/batch-simulations/" + id + "/outcomes", """
        {"outcomes": [{"name": "x y", "type": "enum", "question": "q"}]}
        """);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("outcomes[0].name", "outcomes[0].values");

    ApiClient.Response unknown = api.post("/api/batch-simulations/no-such-batch/outcomes", """
        {"outcomes": [{"name": "ok", "type": "boolean", "question": "q"}]}
        """);
    assertThat(unknown.status()).isEqualTo(404);
  }
}
