package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.internal.codec.OutcomeJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredOutcomeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static BatchRequest.Builder request() {
    return BatchRequest.builder().name("n").context("c").entityIds("a", "b").interactionSize(2).numSimulations(1);
  }

  private static List<FieldError> errors(Runnable action) {
    try {
      action.run();
    } catch (ValidationException e) {
      return e.errors();
    }
    throw new AssertionError("no ValidationException");
  }

  @Test
  void aValidDeclarationIsKeptInOrderWithItsModel() {
    List<DeclaredOutcome> outcomes = List.of(DeclaredOutcome.bool("agreed", "Did they agree?"),
        DeclaredOutcome.oneOf("stance", "Final stance?", "for", "against").perParticipant());

    BatchRequest request = request().outcomes(outcomes).outcomeModel("gpt-4o-mini").build();

    assertThat(request.outcomes()).isEqualTo(outcomes);
    assertThat(request.outcomeModel()).isEqualTo("gpt-4o-mini");
    assertThat(request.toBuilder().build()).isEqualTo(request);
  }

  @Test
  void everyBadOutcomeFieldIsNamedByItsPath() {
    List<DeclaredOutcome> outcomes = List.of(
        DeclaredOutcome.bool("1st", "q"),
        DeclaredOutcome.bool("agreed", " "),
        DeclaredOutcome.bool("agreed", "again?"),
        new DeclaredOutcome("tone", DeclaredOutcome.Type.INTEGER, "q", 5.0, 1.5, List.of(), DeclaredOutcome.Per.SIMULATION),
        new DeclaredOutcome("mood", DeclaredOutcome.Type.ENUM, "q", 1.0, null, List.of("up", "up"),
            DeclaredOutcome.Per.SIMULATION),
        new DeclaredOutcome("who", DeclaredOutcome.Type.ENTITY, "q", null, null, List.of("x"),
            DeclaredOutcome.Per.SIMULATION),
        new DeclaredOutcome("pick", DeclaredOutcome.Type.ENUM, "q", null, null, List.of(),
            DeclaredOutcome.Per.PARTICIPANT));

    List<FieldError> errors = errors(() -> request().outcomes(outcomes).outcomeModel(" ").build());

    assertThat(errors).extracting(FieldError::field).containsExactly(
        "outcomes[0].name", "outcomes[1].question", "outcomes[2].name", "outcomes[3].max", "outcomes[3].max",
        "outcomes[4].min", "outcomes[4].values", "outcomes[5].values", "outcomes[6].values", "outcome_model");
    assertThat(errors.get(2).message()).contains("\"agreed\" is declared more than once");
    assertThat(errors.get(3).message()).contains("must be a whole number");
    assertThat(errors.get(4).message()).contains("less than min 5.0");
  }

  @Test
  void theJsonFormRoundTripsAndIsCheckedWithPaths() throws Exception {
    BatchRequest request = request().outcomes(List.of(
        DeclaredOutcome.integer("tone", "Tone 1-5?", 1, 5),
        DeclaredOutcome.entity("leader", "Who led?"),
        DeclaredOutcome.oneOf("stance", "Stance?", "for", "against").perParticipant())).outcomeModel("m").build();

    assertThat(BatchRequestJson.readStored(BatchRequestJson.write(request))).isEqualTo(request);

    JsonNode body = MAPPER.readTree("{\"name\":\"n\",\"context\":\"c\",\"entity_ids\":[\"a\",\"b\"],"
        + "\"interaction_size\":2,\"num_simulations\":1,\"outcomes\":[{\"name\":\"ok\",\"type\":\"boolean\","
        + "\"question\":\"q\"},{\"name\":\"x\",\"type\":\"colour\",\"question\":\"q\",\"per\":\"group\","
        + "\"scale\":3}]}");
    assertThatThrownBy(() -> BatchRequestJson.read(body, "body")).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("outcomes[1].scale", "outcomes[1].type", "outcomes[1].per"));
  }

  @Test
  void aReextractionBodyNeedsOutcomesAndABooleanReplace() throws Exception {
    List<FieldError> errors = errors(() -> OutcomeJson.readExtractionRequest(
        uncheckedRead("{\"replace\":\"yes\",\"extra\":1}"), "body"));

    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("extra", "replace", "outcomes");

    OutcomeJson.ExtractionRequest ok = OutcomeJson.readExtractionRequest(uncheckedRead(
        "{\"outcomes\":[{\"name\":\"ok\",\"type\":\"boolean\",\"question\":\"q\"}],\"replace\":true}"), "body");
    assertThat(ok.replace()).isTrue();
    assertThat(ok.outcomes()).containsExactly(DeclaredOutcome.bool("ok", "q"));
  }

  private static JsonNode uncheckedRead(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
