package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import org.junit.jupiter.api.Test;

/** The examples of the README's "REST API" section, run as written (on a free port). */
class ReadmeExamplesTest {
  @Test
  void startingAServerAsTheReadmeShows() {
    Cohort cohort = Cohort.builder()
        .llm(SimulatedLlm.create())
        .repository(InMemoryRepository.create())
        .build();
    CohortServer server = CohortServer.builder(cohort)
        .port(0)
        .bearerToken("readme-example-token")
        .build()
        .start();
    try {
      assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
      ApiClient api = new ApiClient(server.uri(), "readme-example-token");
      ApiClient.Response entities = api.post("/api/entities", """
          [{"id": "entity-id-1", "name": "Greta", "description": "Climate activist", "attributes": {"age": 22}},
           {"id": "entity-id-2", "name": "Bill", "description": "Philanthropist"},
           {"id": "entity-id-3", "name": "Wangari", "description": "Environmentalist"},
           {"id": "entity-id-4", "name": "Elon", "description": "Entrepreneur"}]""");
      assertThat(entities.status()).isEqualTo(201);
      assertThat(api.delete("/api/entities/entity-id-4").data().get("message").asText())
          .isEqualTo("Entity entity-id-4 deleted successfully");
    } finally {
      server.stop();
      cohort.close();
    }
  }

  @Test
  void theErrorExampleIsWhatTheServerAnswers() {
    try (TestServer server = TestServer.start()) {
      server.saveEntities(4);

      ApiClient.Response response = server.api.post("/api/batch-simulations", """
          {"name": 7, "context": "c", "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
           "interaction_size": 5, "num_simulations": 3, "n_turns": 2.5}
          """);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("{\"status\":\"error\",\"message\":\"name: must be a string, was a number; "
          + "n_turns: must be a whole number, was 2.5; interaction_size: is 5 but only 4 entities were given\","
          + "\"errors\":[{\"field\":\"name\",\"message\":\"must be a string, was a number\"},"
          + "{\"field\":\"n_turns\",\"message\":\"must be a whole number, was 2.5\"},"
          + "{\"field\":\"interaction_size\",\"message\":\"is 5 but only 4 entities were given\"}]}");
    }
  }
}
