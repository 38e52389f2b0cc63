package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFactorJsonTest {
  private static BatchRequest read(String json) {
    return BatchRequestJson.read(JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "body"), "body");
  }

  @Test
  void aRequestNamingNoModelsRunsOnTheOneModel() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 2, "num_simulations": 1}
        """);

    assertThat(request.models()).isEmpty();
    assertThat(request.modelAssignment()).isEqualTo(ModelAssignment.CROSSED);
    assertThat(request.participantModels()).isEmpty();
    assertThat(request.modelFactor().copiesPerPlanned()).isEqualTo(1);
    assertThat(request.modelFactor().groupSequence(7)).isEqualTo(7);
  }

  @Test
  void modelsAssignmentAndParticipantModelsAreReadAndReadBackEqual() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c"], "interaction_size": 2, "num_simulations": 3,
         "mode": "roleplay", "models": ["mini", "llama"], "model_assignment": "balanced",
         "participant_models": {"a": "llama"}}
        """);

    assertThat(request.models()).containsExactly("mini", "llama");
    assertThat(request.modelAssignment()).isEqualTo(ModelAssignment.BALANCED);
    assertThat(request.participantModels()).containsExactly(Map.entry("a", "llama"));
    assertThat(request.modelFactor().copiesPerPlanned()).isEqualTo(1);
    String stored = BatchRequestJson.write(request);
    assertThat(stored).contains("\"models\":[\"mini\",\"llama\"]").contains("\"model_assignment\":\"balanced\"")
        .contains("\"participant_models\":{\"a\":\"llama\"}");
    assertThat(BatchRequestJson.readStored(stored)).isEqualTo(request);
  }

  @Test
  void crossedModelsNumberEachPlannedSimulationsCopiesGroupMajor() {
    BatchRequest request = BatchRequest.builder().name("N").context("C").entityIds("a", "b").interactionSize(2)
        .numSimulations(1).models("x", "y", "z").build();

    assertThat(request.modelFactor().copiesPerPlanned()).isEqualTo(3);
    assertThat(List.of(1, 2, 3, 4, 6, 7)).extracting(request.modelFactor()::groupSequence)
        .containsExactly(1, 1, 1, 2, 2, 3);
  }

  @Test
  void badModelFieldsAreRefusedNamingEachField() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 2, "num_simulations": 1,
         "model": "gpt-4o-mini", "models": ["mini", "mini"], "model_assignment": "mixed",
         "participant_models": {"zed": "mini", "a": 3}}
        """));

    assertThat(e.errors()).extracting(FieldError::field).contains("models[1]", "model",
        "model_assignment", "participant_models.a");
    assertThat(e.errors()).filteredOn(error -> error.field().equals("model_assignment"))
        .extracting(FieldError::message).containsExactly("must be crossed or balanced, was 'mixed'");
  }

  @Test
  void participantModelsNeedRoleplayAndEntitiesOfThePool() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> BatchRequest.builder()
        .name("N").context("C").entityIds("a", "b").interactionSize(2).numSimulations(1)
        .participantModels(Map.of("zed", "mini")).build());

    assertThat(e.errors()).extracting(FieldError::field).containsExactly("participant_models", "participant_models");
    assertThat(e.getMessage()).contains("needs mode roleplay").contains("not in entity_ids: zed");
  }
}
