package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchRequestTest {

  static BatchRequest.Builder valid() {
    return BatchRequest.builder()
        .name("Climate Change Discussion")
        .context("A panel discussion about potential solutions to climate change")
        .entityIds("a", "b", "c", "d")
        .interactionSize(2)
        .numSimulations(3);
  }

  @Test
  void defaultsAreTheOriginalSystemsAndCohorts() {
    BatchRequest r = valid().build();
    assertThat(r.nTurns()).isEqualTo(1);
    assertThat(r.simulationRounds()).isEqualTo(1);
    assertThat(r.replicates()).isEqualTo(1);
    assertThat(r.interactionStyle()).isEqualTo("discussion");
    assertThat(r.language()).isEqualTo("English");
    assertThat(r.seed()).isNull();
    assertThat(r.metadata()).isEmpty();
    assertThat(r.llm()).isEqualTo(LlmOptions.DEFAULTS);
    assertThat(r.finalTurnNumber()).isEqualTo(1);
  }

  @Test
  void toBuilderRoundTrips() {
    BatchRequest r = valid().nTurns(3).simulationRounds(2).seed(5L).metadata(Map.of("tags", List.of("x"))).build();
    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(r.finalTurnNumber()).isEqualTo(6);
  }

  static Stream<Arguments> badFields() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(bad("name", b -> b.name(null)));
    cases.add(bad("name", b -> b.name("  ")));
    cases.add(bad("name", b -> b.name("x".repeat(501))));
    cases.add(bad("context", b -> b.context(null)));
    cases.add(bad("context", b -> b.context("")));
    cases.add(bad("description", b -> b.description("x".repeat(200_001))));
    cases.add(bad("entity_ids", b -> b.entityIds(List.of())));
    cases.add(bad("entity_ids", b -> b.entityIds((List<String>) null)));
    cases.add(bad("entity_ids", b -> b.entityIds("a", "a", "b")));
    cases.add(bad("entity_ids", b -> b.entityIds("a", " ", "b")));
    cases.add(bad("interaction_size", b -> b.interactionSize(0)));
    cases.add(bad("interaction_size", b -> b.interactionSize(-1)));
    cases.add(bad("interaction_size", b -> b.interactionSize(5)));
    cases.add(bad("num_simulations", b -> b.numSimulations(0)));
    cases.add(bad("num_simulations", b -> b.numSimulations(BatchRequest.MAX_SIMULATIONS + 1)));
    cases.add(bad("n_turns", b -> b.nTurns(0)));
    cases.add(bad("n_turns", b -> b.nTurns(1_001)));
    cases.add(bad("simulation_rounds", b -> b.simulationRounds(0)));
    cases.add(bad("simulation_rounds", b -> b.simulationRounds(1_001)));
    cases.add(bad("replicates", b -> b.replicates(0)));
    cases.add(bad("interaction_style", b -> b.interactionStyle(" ")));
    cases.add(bad("language", b -> b.language("")));
    cases.add(bad("metadata", b -> b.metadata(Map.of("when", new Object()))));
    cases.add(bad("metadata", b -> b.metadata(null)));
    cases.add(bad("temperature", b -> b.llm(new LlmOptions(null, 2.5, null))));
    cases.add(bad("temperature", b -> b.llm(new LlmOptions(null, Double.NaN, null))));
    cases.add(bad("max_tokens", b -> b.llm(new LlmOptions(null, null, 0))));
    cases.add(bad("model", b -> b.llm(new LlmOptions(" ", null, null))));
    cases.add(bad("llm", b -> b.llm(null)));
    return cases.stream();
  }

  private static Arguments bad(String field, UnaryOperator<BatchRequest.Builder> change) {
    return Arguments.of(field, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFields")
  void everyBadFieldIsNamedWithItsReason(String field, UnaryOperator<BatchRequest.Builder> change) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> change.apply(valid()).build());
    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
    assertThat(e.getMessage()).startsWith(field + ": ");
  }

  @Test
  void interactionSizeLargerThanThePoolSaysBothNumbers() {
    assertThatThrownBy(() -> valid().interactionSize(5).build())
        .hasMessage("interaction_size: is 5 but only 4 entities were given");
  }

  @Test
  void duplicatesAreListed() {
    assertThatThrownBy(() -> valid().entityIds("x", "y", "x", "y", "z").build())
        .hasMessage("entity_ids: names entities x, y more than once; each entity may appear once");
  }

  @Test
  void aGroupLargerThanEvenTheListWithItsRepeatsCountsDistinctEntities() {
    assertThatThrownBy(() -> valid().entityIds("a", "a", "b").interactionSize(4).build())
        .hasMessage("entity_ids: names entity 'a' more than once; each entity may appear once; "
            + "interaction_size: is 4 but only 2 distinct entities were given");
  }

  @Test
  void aDuplicatedIdIsNamedInsteadOfComplainingThatThePoolIsTooSmall() {
    assertThatThrownBy(() -> valid().entityIds("a", "a").interactionSize(2).build())
        .hasMessage("entity_ids: names entity 'a' more than once; each entity may appear once");
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    ValidationException e = catchThrowableOfType(ValidationException.class,
        () -> BatchRequest.builder().nTurns(0).build());
    assertThat(e.errors()).extracting(FieldError::field)
        .containsExactly("name", "context", "entity_ids", "interaction_size", "num_simulations", "n_turns");
  }

  @Test
  void metadataIsCopiedDeeplyAndUnmodifiable() {
    Map<String, Object> inner = new HashMap<>();
    inner.put("k", "v");
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("inner", inner);
    metadata.put("none", null);
    BatchRequest r = valid().metadata(metadata).build();
    inner.put("k", "changed");
    assertThat(r.metadata()).containsEntry("inner", Map.of("k", "v")).containsEntry("none", null);
    assertThatThrownBy(() -> r.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void entityValidationNamesItsFields() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> new Entity(" ", "", null, null));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("id", "name");
    assertThatThrownBy(() -> Entity.of("x".repeat(201), "n", null)).hasMessageContaining("at most 200");
    assertThatThrownBy(() -> new Entity("a", "A", null, Map.of("bad", new Object())))
        .hasMessageContaining("attributes.bad");
  }
}
