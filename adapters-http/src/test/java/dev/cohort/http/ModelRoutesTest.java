package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request fields {@code models} and {@code model_assignment} over REST, and the status route's {@code by_model}. */
class ModelRoutesTest {
  static Cohort cohort;
  static CohortServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    ModelRegistry registry = ModelRegistry.builder()
        .model("alpha", SimulatedLlm.create())
        .model("beta", SimulatedLlm.builder().seed(2).build())
        .build();
    cohort = Cohort.builder().models(registry).repository(InMemoryRepository.create()).maxInFlight(4)
        .pollInterval(Duration.ofMillis(10)).build();
    for (int i = 1; i <= 4; i++) {
      cohort.saveEntity(new Entity("entity-id-" + i, "Entity " + i, "Participant number " + i, Map.of("index", i)));
    }
    server = CohortServer.builder(cohort).stopGrace(Duration.ZERO).build().start();
    api = new ApiClient(server.uri(), null);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cohort.close();
  }

  @Test
  void aCrossedBatchShowsItsModelsAndTheStatusBreaksCountsDownByModel() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Two models", "context": "A panel discussion",
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"], "interaction_size": 2,
         "num_simulations": 3, "seed": 4, "models": ["alpha", "beta"]}
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.data().get("id").asText();

    JsonNode status = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> api.get("/api/batch-simulations/" + id + "/status").data(),
            data -> data.get("status").asText().equals("completed"));

    assertThat(status.get("planned_simulations").asLong()).isEqualTo(6);
    List<String> models = new ArrayList<>();
    for (JsonNode row : status.get("by_model")) {
      models.add(row.get("model").asText());
      assertThat(row.get("counts").get("completed").asLong()).isEqualTo(3);
      assertThat(row.get("usage").get("calls").asLong()).isEqualTo(3);
    }
    assertThat(models).containsExactly("alpha", "beta");
    JsonNode batch = api.get("/api/batch-simulations/" + id).data();
    assertThat(TestServer.texts(batch.get("models"))).containsExactly("alpha", "beta");
    assertThat(batch.get("model_assignment").asText()).isEqualTo("crossed");
    List<String> simulationModels = new ArrayList<>();
    batch.get("simulations").forEach(s -> simulationModels.add(s.get("model").asText()));
    assertThat(simulationModels).containsExactly("alpha", "beta", "alpha", "beta", "alpha", "beta");
  }

  @Test
  void aModelTheRegistryLacksIsA400NamingIt() {
    ApiClient.Response refused = api.post("/api/batch-simulations", """
        {"name": "R", "context": "C", "entity_ids": ["entity-id-1"], "interaction_size": 1, "num_simulations": 1,
         "models": ["alpha", "gamma"], "model_assignment": "balanced"}
        """);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message()).contains("models: names model 'gamma', which is not in the model registry")
        .contains("alpha, beta");
  }
}
