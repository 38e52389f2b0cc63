package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRequestJsonTest {
  private static BatchRequest read(String json) {
    return BatchRequestJson.read(JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "body"), "body");
  }

  @Test
  void defaultsApplyToAbsentAndNullOptionalFields() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 1, "num_simulations": 2,
         "n_turns": null, "language": null}
        """);

    assertThat(request.nTurns()).isEqualTo(1);
    assertThat(request.simulationRounds()).isEqualTo(1);
    assertThat(request.language()).isEqualTo(BatchRequest.DEFAULT_LANGUAGE);
    assertThat(request.seed()).isNull();
  }

  @Test
  void rerunFlaggedNamesQualityFlagsAndIsStoredWithTheRequest() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "rerun_flagged": ["repetition", "refusal", "repetition"]}
        """);

    assertThat(request.rerunFlagged()).containsExactly(dev.cohort.core.batch.QualityFlag.REFUSAL,
        dev.cohort.core.batch.QualityFlag.REPETITION);
    assertThat(BatchRequestJson.readStored(BatchRequestJson.write(request))).isEqualTo(request);
    assertThat(read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1}
        """).rerunFlagged()).as("off unless asked for").isEmpty();
  }

  @Test
  void rerunFlaggedRefusesUnknownFlagsAndTheEndOfBatchFlag() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "rerun_flagged": ["refusal", "rudeness"]}
        """));
    assertThat(e.errors()).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("rerun_flagged[1]");
      assertThat(error.message()).contains("was 'rudeness'").contains("persona_break");
    });
    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "rerun_flagged": ["duplicate_transcript"]}
        """)).isInstanceOf(ValidationException.class).hasMessageContaining("rerun_flagged: cannot name"
        + " duplicate_transcript");
    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "rerun_flagged": "refusal"}
        """)).isInstanceOf(ValidationException.class).hasMessage("rerun_flagged: must be an array of strings,"
        + " was a string");
  }

  @Test
  void aNumberWithAZeroFractionIsTheWholeNumberItIs() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 1.0, "num_simulations": 2.00,
         "simulation_rounds": 2.0, "seed": -7.0, "max_tokens": 1e2}
        """);

    assertThat(request.interactionSize()).isEqualTo(1);
    assertThat(request.numSimulations()).isEqualTo(2);
    assertThat(request.simulationRounds()).isEqualTo(2);
    assertThat(request.seed()).isEqualTo(-7L);
    assertThat(request.llm().maxTokens()).isEqualTo(100);
  }

  @Test
  void aFractionIsRefusedNamingTheField() {
    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 1, "num_simulations": 2,
         "simulation_rounds": 2.5}
        """))
        .isInstanceOf(ValidationException.class)
        .hasMessage("simulation_rounds: must be a whole number, was 2.5");
  }

  @Test
  void everyProblemIsCollectedWithItsPath() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": 1, "context": "C", "entity_ids": ["a", 2], "interaction_size": 2, "num_simulations": "many",
         "metadata": {"deep": {"bad": "\\u0000"}}, "llm": {"temperature": "hot"}, "n_turn": 3}
        """));

    assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
        "n_turn", "name", "entity_ids[1]", "num_simulations", "metadata.deep.bad", "llm.temperature");
  }

  @Test
  void metadataKeepsNestedJsonValues() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "metadata": {"n": 1, "l": 12345678901, "big": 123456789012345678901234567890, "x": 0.25,
                      "list": [true, null, "s"], "nested": {"deep": {"er": []}}}}
        """);

    assertThat(request.metadata().get("n")).isEqualTo(1);
    assertThat(request.metadata().get("l")).isEqualTo(12_345_678_901L);
    assertThat(request.metadata().get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(request.metadata().get("x")).isEqualTo(0.25);
    assertThat(request.metadata().get("list")).isEqualTo(Arrays.asList(true, null, "s"));
    assertThat(request.metadata()).containsKey("nested");
  }

  @Test
  void metadataNumbersBeyondDoubleAreRefused() {
    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "metadata": {"huge": 1e999}}
        """))
        .hasMessage("metadata.huge: is too large a number");
  }

  @Test
  void whatIsWrittenReadsBackEqual() {
    BatchRequest request = BatchRequest.builder().name("N").description("D").context("C \u0000 kept")
        .entityIds("a", "b", "c").interactionSize(2).numSimulations(3).nTurns(2).simulationRounds(3)
        .metadata(Map.of("wave", 2, "weights", List.of(0.5, 1.5), "nested", Map.of("ok", true)))
        .interactionStyle("debate").language("Deutsch").seed(-42L).replicates(2)
        .llm(new LlmOptions("gpt-4o-mini", 0.7, 500))
        .build();

    assertThat(BatchRequestJson.readStored(BatchRequestJson.write(request))).isEqualTo(request);
    assertThat(BatchRequestJson.readStored(BatchRequestJson.write(request)).metadata()).isEqualTo(request.metadata());
  }

  @Test
  void theStoredFormOfEarlierVersionsStillReads() {
    // As the JDBC store wrote requests before the codec existed.
    BatchRequest request = BatchRequestJson.readStored("""
        {"name":"N","description":null,"context":"C","entity_ids":["a","b"],"interaction_size":2,
         "num_simulations":1,"n_turns":1,"simulation_rounds":1,"metadata":{},"interaction_style":"discussion",
         "language":"English","seed":5,"replicates":1,"llm":{"model":null,"temperature":null,"max_tokens":null}}
        """);

    assertThat(request.entityIds()).containsExactly("a", "b");
    assertThat(request.seed()).isEqualTo(5L);
    assertThat(request.llm()).isEqualTo(LlmOptions.DEFAULTS);
  }

  @Test
  void modelSettingsAreGivenOnceEitherFlatOrInsideLlm() {
    BatchRequest nested = read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "llm": {"model": "m", "temperature": 0.5, "max_tokens": 9}}
        """);
    assertThat(nested.llm()).isEqualTo(new LlmOptions("m", 0.5, 9));

    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "model": "m", "llm": {"model": "m", "top_p": 1}}
        """))
        .hasMessageContaining("model: is given both on its own and inside llm; give it once")
        .hasMessageContaining("llm.top_p: is not a known field");
  }

  @Test
  void damagedStoredJsonIsAStoreErrorNotAValidationError() {
    assertThatThrownBy(() -> BatchRequestJson.readStored("{\"name\": 3}"))
        .isInstanceOf(CohortException.class)
        .isNotInstanceOf(ValidationException.class)
        .hasMessageStartingWith("the stored batch request is not valid: name: must be a string");
  }
}
