package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.LlmPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/** A Cohort on the in-memory adapters, served on an ephemeral loopback port. */
final class TestServer implements AutoCloseable {
  /** The plan-size limit of the test servers' Cohort, which the REST API applies. */
  static final long MAX_PLANNED_SIMULATIONS = 100_000;

  final Cohort cohort;
  final CohortServer server;
  final ApiClient api;

  private TestServer(Cohort cohort, CohortServer server, @Nullable String token) {
    this.cohort = cohort;
    this.server = server;
    this.api = new ApiClient(server.uri(), token);
  }

  /** A server with an instant simulated model and default settings. */
  static TestServer start() {
    return start(SimulatedLlm.create(), builder -> { });
  }

  static TestServer start(LlmPort llm, Consumer<CohortServer.Builder> configure) {
    return start(llm, configure, null);
  }

  static TestServer start(LlmPort llm, Consumer<CohortServer.Builder> configure, @Nullable String token) {
    Cohort cohort = Cohort.builder()
        .llm(llm)
        .repository(InMemoryRepository.create())
        .maxInFlight(4)
        .pollInterval(Duration.ofMillis(10))
        .maxPlannedSimulations(MAX_PLANNED_SIMULATIONS)
        .build();
    CohortServer.Builder builder = CohortServer.builder(cohort).stopGrace(Duration.ZERO);
    if (token != null) {
      builder.bearerToken(token);
    }
    configure.accept(builder);
    return new TestServer(cohort, builder.build().start(), token);
  }

  /** Stores entity-id-1 .. entity-id-n, named Entity 1 .. Entity n. */
  void saveEntities(int n) {
    for (int i = 1; i <= n; i++) {
      cohort.saveEntity(new Entity("entity-id-" + i, "Entity " + i, "Participant number " + i,
          Map.of("index", i)));
    }
  }

  /** Polls the status route until the batch reaches {@code status}, for at most 20 s. */
  JsonNode awaitStatus(String batchId, String status) {
    return await("batch " + batchId + " to become " + status).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> {
          ApiClient.Response response = api.get("/api/batch-simulations/" + batchId + "/status");
          assertThat(response.status()).isEqualTo(200);
          return response.data();
        }, data -> data.get("status").asText().equals(status));
  }

  /** Creates a small batch over entity-id-1..4 and returns its id. */
  String createBatch(int numSimulations) {
    ApiClient.Response response = api.post("/api/batch-simulations", """
        {"name": "Panel", "context": "A panel discussion",
         "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
         "interaction_size": 2, "num_simulations": %d}
        """.formatted(numSimulations));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.data().get("id").asText();
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Override
  public void close() {
    server.stop();
    cohort.close();
  }
}
