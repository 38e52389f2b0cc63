package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.inmemory.SimulatedLlm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchRoutesTest {
  /** The request body of the original system's documentation, verbatim. */
  static final String ORIGINAL_EXAMPLE = """
      {
        "name": "Climate Change Discussion",
        "description": "Simulating how different entities discuss climate change solutions",
        "context": "A panel discussion about potential solutions to climate change",
        "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
        "interaction_size": 2,
        "num_simulations": 3,
        "n_turns": 2,
        "simulation_rounds": 1,
        "metadata": {
          "category": "climate",
          "tags": ["environment", "discussion"]
        }
      }
      """;

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
  void originalDocumentationExampleCreatesABatchThatCompletes() {
    ApiClient.Response created = api.post("/api/batch-simulations", ORIGINAL_EXAMPLE);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("status").asText()).isEqualTo("success");
    JsonNode data = created.data();
    String id = data.get("id").asText();
    assertThat(data.get("message").asText()).isEqualTo("Batch simulation started");
    assertThat(data.get("requested_simulations").asLong()).isEqualTo(3);
    assertThat(data.get("planned_simulations").asLong()).isEqualTo(3);
    assertThat(created.header("Location")).isEqualTo("/api/batch-simulations/" + id);

    JsonNode status = server.awaitStatus(id, "completed");
    assertThat(status.get("counts").get("completed").asLong()).isEqualTo(3);
    assertThat(status.get("progress").asDouble()).isEqualTo(1.0);

    JsonNode batch = api.get("/api/batch-simulations/" + id).data();
    assertThat(batch.get("name").asText()).isEqualTo("Climate Change Discussion");
    assertThat(batch.get("status").asText()).isEqualTo("completed");
    assertThat(batch.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(batch.get("metadata").get("category").asText()).isEqualTo("climate");
    assertThat(TestServer.texts(batch.get("metadata").get("tags"))).containsExactly("environment", "discussion");
    JsonNode simulations = batch.get("simulations");
    assertThat(simulations).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode simulation = simulations.get(i);
      assertThat(simulation.get("sequence_number").asInt()).isEqualTo(i + 1);
      assertThat(simulation.get("interaction_type").asText()).isEqualTo("dyadic");
      assertThat(simulation.get("entity_ids")).hasSize(2);
      assertThat(simulation.get("content").asText()).contains("Entity ");
      assertThat(simulation.get("metadata").get("n_turns").asInt()).isEqualTo(2);
      assertThat(simulation.get("metadata").get("simulation_rounds").asInt()).isEqualTo(1);
      assertThat(simulation.get("metadata").get("final_turn_number").asInt()).isEqualTo(2);
      assertThat(simulation.has("id")).isTrue();
      assertThat(simulation.has("timestamp")).isTrue();
    }
  }

  @Test
  void createWarnsWhenSomeParticipantsNeverSpeakButStillCreates() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Quiet panel", "context": "A panel", "entity_ids": ["entity-id-1", "entity-id-2",
         "entity-id-3", "entity-id-4"], "interaction_size": 4, "num_simulations": 1, "n_turns": 3}
        """);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(TestServer.texts(created.data().get("warnings"))).singleElement().asString()
        .contains("gives 3 turns but interaction_size is 4", "1 participant", "never speaks");
    String id = created.data().get("id").asText();
    assertThat(api.get("/api/batch-simulations/" + id + "?include_simulations=false").data().get("warnings"))
        .as("the batch shows it too").hasSize(1);
    ApiClient.Response everyoneSpeaks = api.post("/api/batch-simulations", ORIGINAL_EXAMPLE);
    assertThat(everyoneSpeaks.data().get("warnings")).isEmpty();
  }

  @Test
  void createAcceptsCohortsExtrasAndStoresThem() {
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Debate", "context": "A debate", "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3"],
         "interaction_size": 3, "num_simulations": 5, "interaction_style": "debate", "language": "Deutsch",
         "seed": 42, "replicates": 2, "model": "gpt-4o-mini", "temperature": 0.7, "max_tokens": 500,
         "description": null, "metadata": null}
        """);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.data().get("requested_simulations").asLong()).isEqualTo(10);
    assertThat(created.data().get("planned_simulations").asLong()).isEqualTo(2);
    String id = created.data().get("id").asText();
    JsonNode batch = api.get("/api/batch-simulations/" + id + "?include_simulations=false").data();
    assertThat(batch.get("interaction_style").asText()).isEqualTo("debate");
    assertThat(batch.get("language").asText()).isEqualTo("Deutsch");
    assertThat(batch.get("seed").asLong()).isEqualTo(42);
    assertThat(batch.get("replicates").asInt()).isEqualTo(2);
    assertThat(batch.get("llm").get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(batch.get("llm").get("temperature").asDouble()).isEqualTo(0.7);
    assertThat(batch.get("llm").get("max_tokens").asInt()).isEqualTo(500);
    assertThat(batch.get("description").isNull()).isTrue();
    assertThat(batch.has("simulations")).isFalse();
  }

  @Test
  void listShowsBatchesNewestFirstWithoutSimulationsByDefault() {
    String first = server.createBatch(1);
    // The order is by creation time: the second batch must be created on a later millisecond.
    Instant firstCreated = Instant.parse(
        api.get("/api/batch-simulations/" + first + "?include_simulations=false").data().get("created_at").asText());
    await("the clock to pass the first batch's creation").atMost(Duration.ofSeconds(5))
        .until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(firstCreated));
    String second = server.createBatch(1);

    ApiClient.Response list = api.get("/api/batch-simulations");

    assertThat(list.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.data().forEach(batch -> ids.add(batch.get("id").asText()));
    assertThat(ids).containsSubsequence(second, first);
    list.data().forEach(batch -> assertThat(batch.has("simulations")).isFalse());
  }

  @Test
  void listIncludesSimulationsWhenAskedAndPages() {
    String id = server.createBatch(2);
    server.awaitStatus(id, "completed");

    JsonNode page = api.get("/api/batch-simulations?include_simulations=true&limit=1&offset=0").data();

    assertThat(page).hasSize(1);
    assertThat(page.get(0).get("simulations").isArray()).isTrue();
    JsonNode all = api.get("/api/batch-simulations?include_simulations=false").data();
    JsonNode second = api.get("/api/batch-simulations?limit=1&offset=1").data();
    assertThat(second).hasSize(1);
    assertThat(second.get(0).get("id")).isEqualTo(all.get(1).get("id"));
    assertThat(api.get("/api/batch-simulations?offset=100000").data()).isEmpty();
  }

  @Test
  void statusReportsCountsAndProgress() {
    String id = server.createBatch(6);

    JsonNode status = server.awaitStatus(id, "completed");

    assertThat(status.get("id").asText()).isEqualTo(id);
    assertThat(status.get("planned_simulations").asLong()).isEqualTo(6);
    assertThat(status.get("counts").get("total").asLong()).isEqualTo(6);
    assertThat(status.get("counts").get("pending").asLong()).isZero();
    assertThat(status.get("usage").get("total_tokens").asLong()).isPositive();
    assertThat(status.get("finished_at").asText()).endsWith("Z");
  }

  @Test
  void statusAndBatchCountTheQualityFlagsTheSimulationsCarry() {
    String id = server.createBatch(6);
    JsonNode status = server.awaitStatus(id, "completed");

    JsonNode batch = api.get("/api/batch-simulations/" + id + "?include_simulations=true").data();
    Map<String, Long> counted = new TreeMap<>();
    for (JsonNode simulation : batch.get("simulations")) {
      assertThat(simulation.get("flags").isArray()).isTrue();
      simulation.get("flags").forEach(flag -> counted.merge(flag.asText(), 1L, Long::sum));
    }
    Map<String, Long> reported = new TreeMap<>();
    status.get("flag_counts").properties().forEach(e -> reported.put(e.getKey(), e.getValue().asLong()));
    assertThat(reported).isEqualTo(counted);
    assertThat(batch.get("flag_counts")).isEqualTo(status.get("flag_counts"));
  }

  @Test
  void deleteRemovesTheBatchAndAnswersTheOriginalMessage() {
    String id = server.createBatch(1);

    ApiClient.Response deleted = api.delete("/api/batch-simulations/" + id);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.data().get("message").asText()).isEqualTo("Batch simulation " + id + " deleted successfully");
    assertThat(api.get("/api/batch-simulations/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/api/batch-simulations/" + id).status()).isEqualTo(404);
  }

  @Test
  void twentyConcurrentCreatesEachGetTheirOwnBatch() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<ApiClient.Response>> creates = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        creates.add(() -> api.post("/api/batch-simulations", """
            {"name": "Concurrent %d", "context": "c", "entity_ids": ["entity-id-1", "entity-id-2"],
             "interaction_size": 1, "num_simulations": 2}
            """.formatted(n)));
      }
      Set<String> ids = new HashSet<>();
      // A call still running after a minute is cancelled, and its get() then fails the test.
      for (Future<ApiClient.Response> future : pool.invokeAll(creates, 1, TimeUnit.MINUTES)) {
        ApiClient.Response response = future.get();
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        ids.add(response.data().get("id").asText());
      }
      assertThat(ids).hasSize(20);
      for (String id : ids) {
        assertThat(server.awaitStatus(id, "completed").get("counts").get("completed").asLong()).isEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deleteDuringARunStopsTheBatchAndRemovesIt() {
    try (TestServer slow = TestServer.start(
        SimulatedLlm.builder().latency(Duration.ofMillis(50)).build(), builder -> { })) {
      slow.saveEntities(4);
      ApiClient.Response created = slow.api.post("/api/batch-simulations", """
          {"name": "Long", "context": "c", "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
           "interaction_size": 1, "num_simulations": 4, "n_turns": 3, "simulation_rounds": 20}
          """);
      String id = created.data().get("id").asText();
      slow.awaitStatus(id, "in_progress");

      ApiClient.Response deleted = slow.api.delete("/api/batch-simulations/" + id);

      assertThat(deleted.status()).isEqualTo(200);
      assertThat(slow.api.get("/api/batch-simulations/" + id).status()).isEqualTo(404);
      assertThat(slow.api.get("/api/batch-simulations/" + id + "/status").status()).isEqualTo(404);
      assertThat(slow.api.get("/api/health").status()).isEqualTo(200);
    }
  }

  @Test
  void cancelStopsARunningBatchAndResumeFinishesIt() {
    // Every call waits until the cancel is done, so the batch cannot finish before it is cancelled
    // however slowly this test runs; the cancel interrupts the waiting calls.
    CountDownLatch cancelDone = new CountDownLatch(1);
    SimulatedLlm model = SimulatedLlm.create();
    LlmPort held = request -> {
      try {
        if (!cancelDone.await(60, TimeUnit.SECONDS)) {
          throw new RetryableLlmException("the test never cancelled");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetryableLlmException("interrupted", e, 0, null, null, null);
      }
      return model.chat(request);
    };
    try (TestServer slow = TestServer.start(held, builder -> { })) {
      slow.saveEntities(4);
      ApiClient.Response created = slow.api.post("/api/batch-simulations", """
          {"name": "Cancel me", "context": "c", "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
           "interaction_size": 1, "num_simulations": 4, "simulation_rounds": 5}
          """);
      String id = created.data().get("id").asText();
      slow.awaitStatus(id, "in_progress");

      ApiClient.Response cancelled = slow.api.post("/api/batch-simulations/" + id + "/cancel", "");

      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
      assertThat(cancelled.data().get("status").asText()).isEqualTo("cancelled");
      assertThat(cancelled.data().get("counts").get("cancelled").asLong()).isPositive();
      cancelDone.countDown();

      ApiClient.Response resumed = slow.api.method("POST", "/api/batch-simulations/" + id + "/resume", null);

      assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
      assertThat(resumed.data().get("id").asText()).isEqualTo(id);
      JsonNode finished = slow.awaitStatus(id, "completed");
      assertThat(finished.get("counts").get("completed").asLong()).isEqualTo(4);
    }
  }

  @Test
  void aBatchStoppedByItsBudgetIsCancelledAndResumeWithAHigherBudgetFinishesIt() {
    try (TestServer server = TestServer.start()) {
      server.saveEntities(4);
      String id = server.api.post("/api/batch-simulations", """
          {"name": "Capped", "context": "c", "entity_ids": ["entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4"],
           "interaction_size": 2, "num_simulations": 6, "max_total_tokens": 300}
          """).data().get("id").asText();
      JsonNode stopped = server.awaitStatus(id, "cancelled");
      assertThat(stopped.get("error").asText()).startsWith("budget reached").contains("of max_total_tokens 300");
      JsonNode batch = server.api.get("/api/batch-simulations/" + id).data();
      assertThat(batch.get("max_total_tokens").asLong()).isEqualTo(300);
      assertThat(batch.get("cost_usd").isNumber()).as("the simulated model is priced at $0").isTrue();
      assertThat(batch.get("usage").get("calls").asLong()).isLessThan(6);

      ApiClient.Response badBody = server.api.post("/api/batch-simulations/" + id + "/resume", "{\"max_cost\": 20}");
      assertThat(badBody.status()).as(badBody.body()).isEqualTo(400);
      assertThat(badBody.body()).contains("max_cost");

      ApiClient.Response resumed = server.api.post("/api/batch-simulations/" + id + "/resume",
          "{\"max_cost_usd\": 20, \"max_total_tokens\": 100000000}");

      assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
      JsonNode finished = server.awaitStatus(id, "completed");
      assertThat(finished.get("counts").get("completed").asLong()).isEqualTo(6);
      JsonNode after = server.api.get("/api/batch-simulations/" + id).data();
      assertThat(after.get("max_cost_usd").asDouble()).isEqualTo(20.0);
      assertThat(after.get("usage").get("calls").asLong()).isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void retryFailedRunsTheFailedSimulationsAgainKeepingEachFailure() {
    try (TestServer refusing = TestServer.start(
        SimulatedLlm.builder().failureRate(1.0, SimulatedLlm.FailureKind.MALFORMED).build(), builder -> { })) {
      refusing.saveEntities(2);
      String id = refusing.api.post("/api/batch-simulations", """
          {"name": "Refused", "context": "c", "entity_ids": ["entity-id-1", "entity-id-2"],
           "interaction_size": 1, "num_simulations": 2}
          """).data().get("id").asText();
      refusing.awaitStatus(id, "failed");

      ApiClient.Response retried = refusing.api.post("/api/batch-simulations/" + id + "/retry-failed", "");

      assertThat(retried.status()).as(retried.body()).isEqualTo(200);
      assertThat(retried.data().get("status").asText()).as("it runs again").isIn("in_progress", "failed");
      refusing.awaitStatus(id, "failed");
      JsonNode simulations = refusing.api.get("/api/batch-simulations/" + id).data().get("simulations");
      assertThat(simulations).hasSize(2).allSatisfy(simulation -> {
        assertThat(simulation.get("attempts").asInt()).isEqualTo(2);
        assertThat(simulation.get("attempt_history")).singleElement().satisfies(attempt -> {
          assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
          assertThat(attempt.get("error").asText()).startsWith("round 1: the model's answer could not be used");
          assertThat(attempt.get("finished_at").asText()).endsWith("Z");
        });
      });
      assertThat(refusing.api.post("/api/batch-simulations/no-such-batch/retry-failed", "").status()).isEqualTo(404);
    }
  }

  @Test
  void aLargeBatchIsStreamedChunkedAndParses() throws Exception {
    server.saveEntities(20);
    StringBuilder ids = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      ids.append(i == 1 ? "" : ", ").append("\"entity-id-").append(i).append('"');
    }
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Large", "context": "A long panel", "entity_ids": [%s], "interaction_size": 2,
         "num_simulations": 150, "n_turns": 2}
        """.formatted(ids));
    String id = created.data().get("id").asText();
    server.awaitStatus(id, "completed");

    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + id);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().length).isGreaterThan(ApiExchange.RESPONSE_BUFFER_BYTES);
    assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    JsonNode batch = ApiClient.JSON.readTree(response.body()).get("data");
    assertThat(batch.get("simulations")).hasSize(150);
    assertThat(batch.get("simulations").get(149).get("sequence_number").asInt()).isEqualTo(150);
  }

  @Test
  void smallAnswersCarryTheirLength() {
    HttpResponse<byte[]> response = api.download("/api/health");

    assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(response.body().length));
  }

  @Test
  void healthAnswersOk() {
    ApiClient.Response health = api.get("/api/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("success");
    assertThat(health.data().get("status").asText()).isEqualTo("ok");
    assertThat(health.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(health.header("Cache-Control")).isEqualTo("no-store");
  }
}
