package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant CREATED = Instant.parse("2025-03-07T12:34:56Z");

  private final Entity ada = new Entity("e1", "Ada Łovelace", "Mathematician, \"first\" programmer",
      Map.of("born", 1815, "tags", List.of("math", "🧮")));
  private final Entity bo = Entity.of("e2", "Bo 王", null);
  private final BatchRequest request = BatchRequest.builder()
      .name("Ethics").description("AI ethics").context("Discuss AI ethics.")
      .entityIds("e1", "e2").interactionSize(2).numSimulations(1).nTurns(2).simulationRounds(1)
      .metadata(Map.of("category", "ethics")).seed(42L).llm(new LlmOptions("gpt-4o-mini", 0.7, 500))
      .build();
  private final Simulation completed = new Simulation("s1", "b1", 1, List.of("e1", "e2"), List.of("e2", "e1"),
      SimulationStatus.COMPLETED,
      List.of(new Turn(1, 1, "e2", "Bo 王", "hmm", "你好 — \"hello\""), new Turn(1, 2, "e1", "Ada Łovelace", null, "Hi 👋🏽.")),
      null, 1, new TokenUsage(120, 30, 100), "gpt-4o-mini-2024", 2, CREATED,
      CREATED.plusSeconds(1), CREATED.plusSeconds(5));
  private final Batch batch = new Batch("b1", BatchStatus.COMPLETED, request, 1, 1, List.of(ada, bo), CREATED,
      CREATED.plusSeconds(1), CREATED.plusSeconds(5), null, new BatchCounts(0, 0, 1, 0, 0),
      new TokenUsage(120, 30, 100, 3), List.of(completed), 0.0123);

  @Test
  void documentHoldsEveryBatchFieldThenSimulationsThenEntities() throws IOException {
    JsonNode doc = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeDocument(gen, batch.simulations()::forEach)));

    assertThat(fieldNames(doc)).containsExactly("id", "name", "description", "context", "status", "timestamp",
        "created_at", "started_at", "finished_at", "error", "warnings", "metadata", "entity_ids", "interaction_size",
        "num_simulations", "n_turns", "simulation_rounds", "replicates", "interaction_style", "language", "seed",
        "llm", "outcomes", "outcome_model", "mode", "visibility", "execution", "max_cost_usd", "max_total_tokens",
        "design", "speaking_order", "rerun_flagged", "requested_simulations", "planned_simulations", "counts", "progress", "usage",
        "cost_usd", "flag_counts", "models", "model_assignment", "participant_models", "simulations", "entities");
    assertThat(doc.get("timestamp").asText()).isEqualTo("2025-03-07T12:34:56.000Z");
    assertThat(doc.get("finished_at").asText()).isEqualTo("2025-03-07T12:35:01.000Z");
    assertThat(doc.get("status").asText()).isEqualTo("completed");
    assertThat(doc.get("error").isNull()).isTrue();
    assertThat(doc.get("seed").asLong()).isEqualTo(42);
    assertThat(doc.get("llm").toString()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"max_tokens\":500}");
    assertThat(doc.get("counts").toString())
        .isEqualTo("{\"total\":1,\"pending\":0,\"running\":0,\"completed\":1,\"failed\":0,\"cancelled\":0}");
    assertThat(doc.get("usage").toString())
        .isEqualTo("{\"prompt_tokens\":120,\"completion_tokens\":30,\"cached_prompt_tokens\":100,"
            + "\"total_tokens\":150,\"calls\":3,\"cache_hits\":0}");
    assertThat(doc.get("cost_usd").asDouble()).isEqualTo(0.0123);
    assertThat(doc.get("metadata").toString()).isEqualTo("{\"category\":\"ethics\"}");
    assertThat(fieldNames(doc.get("entities"))).containsExactly("e1", "e2");
    assertThat(doc.get("entities").get("e1").get("attributes").get("tags").get(1).asText()).isEqualTo("🧮");
    assertThat(doc.get("entities").get("e2").get("description").isNull()).isTrue();
  }

  @Test
  void theAttemptHistoryShowsASetAsideRerunWithItsFlagsUsageAndTranscript() throws IOException {
    Turn refused = new Turn(1, 1, "e2", "Bo 王", null, "I'm sorry, but I can't continue.");
    Simulation rerun = completed.withAttemptHistory(List.of(
        new dev.cohort.core.batch.FailedAttempt(1, "round 1: timeout", CREATED),
        new dev.cohort.core.batch.FailedAttempt(2, "flagged refusal; rerun 1 had no flag and was kept",
            CREATED.plusSeconds(3), List.of(refused), List.of(dev.cohort.core.batch.QualityFlag.REFUSAL), 1,
            new TokenUsage(10, 5, 0, 1), 0.001)));

    JsonNode history = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSimulation(gen, rerun)))
        .get("attempt_history");

    assertThat(fieldNames(history.get(0))).as("a retried failure keeps its old shape")
        .containsExactly("attempt", "error", "finished_at");
    assertThat(fieldNames(history.get(1))).containsExactly("attempt", "error", "finished_at", "rerun", "flags",
        "usage", "cost_usd", "turns");
    assertThat(history.get(1).get("flags").toString()).isEqualTo("[\"refusal\"]");
    assertThat(history.get(1).get("usage").get("calls").asInt()).isEqualTo(1);
    assertThat(history.get(1).get("turns").get(0).get("text").asText()).isEqualTo(refused.text());
    assertThat(AttemptHistoryJson.readStored(AttemptHistoryJson.write(rerun.attemptHistory())))
        .as("a store reads back what it wrote").isEqualTo(rerun.attemptHistory());
  }

  @Test
  void anUnknownCostIsNullNeverZero() throws IOException {
    Batch unknown = new Batch("b1", BatchStatus.COMPLETED, request, 1, 1, List.of(ada, bo), CREATED, null, null, null,
        new BatchCounts(0, 0, 1, 0, 0), TokenUsage.ZERO, List.of(), null);
    JsonNode status = MAPPER.readTree(write(gen -> BatchJson.writeStatus(gen, unknown)));
    JsonNode sim = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSimulation(gen, completed.withCostUsd(null))));

    assertThat(status.get("cost_usd").isNull()).isTrue();
    assertThat(sim.get("cost_usd").isNull()).isTrue();
    assertThat(MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSimulation(gen, completed.withCostUsd(0.5))))
        .get("cost_usd").asDouble()).isEqualTo(0.5);
  }

  @Test
  void simulationHasTheOriginalShapeExtendedWithStatusTurnsAndUsage() throws IOException {
    JsonNode sim = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSimulation(gen, completed)));

    assertThat(fieldNames(sim)).containsExactly("id", "batch_id", "sequence_number", "timestamp", "interaction_type",
        "entity_ids", "entity_names", "content", "metadata", "status", "error", "speaking_order", "turns", "usage",
        "cost_usd", "attempts", "attempt_history", "flags", "created_at", "started_at", "finished_at", "outcomes",
        "outcome_error", "outcome_extraction", "system_fingerprint", "turns_sha256", "model");
    assertThat(sim.get("timestamp").asText()).isEqualTo("2025-03-07T12:35:01.000Z");
    assertThat(sim.get("interaction_type").asText()).isEqualTo("dyadic");
    assertThat(sim.get("entity_names").toString()).isEqualTo("[\"Ada Łovelace\",\"Bo 王\"]");
    assertThat(sim.get("content").asText()).isEqualTo(completed.content());
    assertThat(sim.get("metadata").toString())
        .isEqualTo("{\"n_turns\":2,\"simulation_rounds\":1,\"final_turn_number\":2,\"model\":\"gpt-4o-mini-2024\"}");
    assertThat(sim.get("speaking_order").toString()).isEqualTo("[\"e2\",\"e1\"]");
    assertThat(sim.get("turns").get(0).toString()).isEqualTo(
        "{\"round\":1,\"turn_number\":1,\"speaker_id\":\"e2\",\"speaker_name\":\"Bo 王\",\"thought\":\"hmm\","
            + "\"text\":\"你好 — \\\"hello\\\"\"}");
    assertThat(sim.get("turns").get(1).get("thought").isNull()).isTrue();
  }

  @Test
  void flagsAndFlagCountsAreWrittenByWireNameInFlagOrder() throws IOException {
    Simulation flagged = completed.withFlags(List.of(QualityFlag.REPETITION, QualityFlag.PERSONA_BREAK));
    Batch counted = batch.withFlagCounts(Map.of(QualityFlag.REPETITION, 12L, QualityFlag.REFUSAL, 3L));

    JsonNode sim = MAPPER.readTree(write(gen -> BatchJson.of(counted).writeSimulation(gen, flagged)));
    JsonNode status = MAPPER.readTree(write(gen -> BatchJson.writeStatus(gen, counted)));
    JsonNode plain = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSimulation(gen, completed)));

    assertThat(sim.get("flags").toString()).isEqualTo("[\"persona_break\",\"repetition\"]");
    assertThat(status.get("flag_counts").toString()).isEqualTo("{\"refusal\":3,\"repetition\":12}");
    assertThat(plain.get("flags").toString()).isEqualTo("[]");
    assertThat(MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSummary(gen))).get("flag_counts").toString())
        .isEqualTo("{}");
  }

  @Test
  void nonAsciiIsWrittenAsUtf8WithoutEscapes() throws IOException {
    String json = write(gen -> BatchJson.of(batch).writeSimulation(gen, completed));

    assertThat(json).contains("Bo 王", "你好 — ", "Ada Łovelace", "Hi 👋🏽.").doesNotContain("\\u");
  }

  @Test
  void summaryLeavesOutSimulationsAndEntities() throws IOException {
    JsonNode summary = MAPPER.readTree(write(gen -> BatchJson.of(batch).writeSummary(gen)));

    assertThat(summary.has("simulations")).isFalse();
    assertThat(summary.has("entities")).isFalse();
    assertThat(summary.get("id").asText()).isEqualTo("b1");
  }

  @Test
  void generatorLeavesTheStreamOpenAndSeparatesNothingBetweenRootValues() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      gen.writeNumber(1);
      gen.writeNumber(2);
    }
    out.write('!');

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("12!");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private interface JsonWriting {
    void writeTo(JsonGenerator gen) throws IOException;
  }

  private static String write(JsonWriting writing) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      writing.writeTo(gen);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
