package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.ScriptedTurns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batches show --json} of a batch run on two models (two fake OpenAI servers over loopback,
 * a registry file) carries the status route's {@code by_model} rows: counts, tokens and cost per
 * model; a batch on one model has none.
 */
class ShowByModelJsonTest {
  @TempDir
  Path dir;

  private FakeOpenAiServer alpha;
  private FakeOpenAiServer beta;

  @BeforeEach
  void startServers() throws IOException {
    alpha = FakeOpenAiServer.start();
    beta = FakeOpenAiServer.start();
    alpha.otherwise(r -> ScriptedTurns.answer(r).withModel("model-a"));
    beta.otherwise(r -> ScriptedTurns.answer(r).withModel("model-b"));
  }

  @AfterEach
  void stopServers() {
    alpha.close();
    beta.close();
  }

  @Test
  void showJsonBreaksCountsTokensAndCostDownByModel() throws IOException {
    Path registry = Files.writeString(dir.resolve("models.json"), "{\"models\": {"
        + "\"alpha\": {\"base_url\": \"" + alpha.baseUrl() + "\", \"model\": \"model-a\"},"
        + "\"beta\": {\"base_url\": \"" + beta.baseUrl() + "\", \"model\": \"model-b\"}}}");
    String db = dir.resolve("cohort.db").toString();
    Samples.write(dir, "people.json", """
        {"entities": [
          {"id": "p1", "name": "Ada"}, {"id": "p2", "name": "Boris"},
          {"id": "p3", "name": "Chiara"}, {"id": "p4", "name": "Devraj"}
        ]}""");
    CohortCli.Result run = InProcess.run("run", "--db", db, "--model-registry", registry.toString(),
        "--models", "alpha,beta", "--entities", dir.resolve("people.json").toString(), "--context", "A town hall",
        "--interaction-size", "2", "--num-simulations", "6", "--n-turns", "2", "--seed", "3");
    assertThat(run.exitCode()).as(run.toString()).isZero();

    CohortCli.Result show = InProcess.run("batches", "show", run.batchId(), "--db", db, "--json");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(show.out());
    JsonNode byModel = json.path("by_model");
    assertThat(byModel).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode row = byModel.get(i);
      assertThat(row.path("model").asText()).isEqualTo(i == 0 ? "alpha" : "beta");
      assertThat(row.path("counts").path("total").asInt()).isEqualTo(6);
      assertThat(row.path("counts").path("completed").asInt()).isEqualTo(6);
      // ScriptedTurns answers each of the six calls with 400 prompt and 60 completion tokens.
      assertThat(row.path("usage").path("prompt_tokens").asLong()).isEqualTo(2400);
      assertThat(row.path("usage").path("completion_tokens").asLong()).isEqualTo(360);
      assertThat(row.has("cost_usd")).isTrue();
    }
    assertThat(alpha.requests()).hasSize(6);
    assertThat(beta.requests()).hasSize(6);
    // The batch's own fields are still there, as without models.
    assertThat(json.path("id").asText()).isEqualTo(run.batchId());
    assertThat(json.path("counts").path("completed").asInt()).isEqualTo(12);
  }
}
