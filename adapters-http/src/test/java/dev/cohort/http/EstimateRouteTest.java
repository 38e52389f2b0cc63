package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/batch-simulations/estimate} over loopback. */
class EstimateRouteTest {
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
  void estimateAnswersEveryRangeAndTheAssumptionsWithoutCreatingABatch() {
    ApiClient.Response response = server.api.post("/api/batch-simulations/estimate", BatchRoutesTest.ORIGINAL_EXAMPLE);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get("status").asText()).isEqualTo("success");
    JsonNode data = response.data();
    for (String field : new String[] {"calls", "prompt_tokens", "cached_prompt_tokens", "completion_tokens"}) {
      JsonNode range = data.get(field);
      assertThat(range.get("low").asLong()).as(field).isLessThanOrEqualTo(range.get("expected").asLong());
      assertThat(range.get("expected").asLong()).as(field).isLessThanOrEqualTo(range.get("high").asLong());
    }
    // 3 simulations of one round: 3 calls at least, more with re-asks.
    assertThat(data.get("calls").get("low").asLong()).isEqualTo(3);
    assertThat(data.get("prompt_tokens").get("low").asLong()).isPositive();
    // The offline model is priced at zero by the built-in table.
    assertThat(data.get("model").asText()).isEqualTo("cohort-simulated-1");
    assertThat(data.get("cost_usd").get("high").asDouble()).isZero();
    assertThat(data.get("assumptions").size()).isGreaterThan(3);
    assertThat(server.api.get("/api/batch-simulations").data().size()).isZero();
  }

  @Test
  void aModelWithoutAPriceHasAnUnknownCostNeverZero() {
    ApiClient.Response response = server.api.post("/api/batch-simulations/estimate",
        BatchRoutesTest.ORIGINAL_EXAMPLE.replace("\"n_turns\": 2,", "\"n_turns\": 2, \"llm\": {\"model\": \"my-llama\"},"));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.data().get("cost_usd").isNull()).isTrue();
    assertThat(response.data().get("assumptions").toString()).contains("no price for my-llama");
  }

  @Test
  void aPricedModelInTheBodyGivesACostRange() {
    ApiClient.Response response = server.api.post("/api/batch-simulations/estimate",
        BatchRoutesTest.ORIGINAL_EXAMPLE.replace("\"n_turns\": 2,", "\"n_turns\": 2, \"llm\": {\"model\": \"gpt-4o-mini\"},"));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode cost = response.data().get("cost_usd");
    assertThat(cost.get("low").asDouble()).isPositive().isLessThanOrEqualTo(cost.get("expected").asDouble());
    assertThat(cost.get("expected").asDouble()).isLessThanOrEqualTo(cost.get("high").asDouble());
    assertThat(response.data().get("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void anInvalidBodyIsA400NamingTheField() {
    ApiClient.Response response = server.api.post("/api/batch-simulations/estimate",
        BatchRoutesTest.ORIGINAL_EXAMPLE.replace("\"interaction_size\": 2", "\"interaction_size\": 0"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("message").asText()).contains("interaction_size");
  }
}
