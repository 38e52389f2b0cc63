package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request fields {@code mode} and {@code visibility} over REST. */
class RoleplayRoutesTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(4);
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aRoleplayBatchIsCreatedRunsOneTurnPerSpeakerAndShowsItsMode() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Role-play", "context": "A debate about the bridge",
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3"], "interaction_size": 3, "num_simulations": 1,
         "n_turns": 3, "simulation_rounds": 2, "seed": 5, "mode": "roleplay", "visibility": "names"}
        """);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.data().get("id").asText();
    server.awaitStatus(id, "completed");
    JsonNode batch = api.get("/api/batch-simulations/" + id).data();
    assertThat(batch.get("mode").asText()).isEqualTo("roleplay");
    assertThat(batch.get("visibility").asText()).isEqualTo("names");
    JsonNode simulation = batch.get("simulations").get(0);
    assertThat(simulation.get("turns")).hasSize(6);
    assertThat(simulation.get("content").asText()).startsWith(simulation.get("turns").get(0).get("speaker_name").asText()
        + ": *");
  }

  @Test
  void anUnknownModeIsA400NamingTheFieldAndTheChoices() {
    ApiClient.Response refused = api.post("/api/batch-simulations", """
        {"name": "R", "context": "C", "entity_ids": ["entity-id-1"], "interaction_size": 1, "num_simulations": 1,
         "mode": "improv", "visibility": "everything"}
        """);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message())
        .contains("mode: must be one of scripted, roleplay, was 'improv'")
        .contains("visibility: must be one of names, descriptions, full, was 'everything'");
  }
}
