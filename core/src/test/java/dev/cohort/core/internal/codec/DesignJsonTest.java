package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.DesignType;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesignJsonTest {
  private static BatchRequest read(String json) {
    return BatchRequestJson.read(JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "body"), "body");
  }

  private static List<String> fields(ValidationException e) {
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void designConstraintsAndSpeakingOrderAreReadAndWrittenBack() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c", "d"], "interaction_size": 2,
         "num_simulations": 3, "design": {"type": "balanced"},
         "constraints": {"distinct_by": ["party"],
                         "require": [{"attribute": "role", "value": "moderator", "min": 1, "max": 1},
                                     {"attribute": "age", "value": 40}]},
         "speaking_order": "rotate"}
        """);
    assertThat(request.design().type()).isEqualTo(DesignType.BALANCED);
    assertThat(request.constraints()).isEqualTo(Constraints.of(List.of("party"),
        List.of(Requirement.between("role", "moderator", 1, 1), Requirement.atLeastOne("age", "40"))));
    assertThat(request.speakingOrder()).isEqualTo(SpeakingOrder.ROTATE);

    BatchRequest grown = request.toBuilder().seed(5L).extensions(List.of(new Extension(10, 8, 4))).build();
    String stored = BatchRequestJson.write(grown);
    assertThat(stored).contains("\"design\":{\"type\":\"balanced\"}", "\"speaking_order\":\"rotate\"",
        "\"extensions\":[{\"num_simulations\":10,\"planned_groups\":8,\"first_sequence_number\":4}]");
    assertThat(BatchRequestJson.readStored(stored)).isEqualTo(grown);
  }

  @Test
  void anExplicitDesignNeedsNoNumSimulationsAndIsCheckedAgainstThePool() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c"], "interaction_size": 2,
         "design": {"type": "explicit", "groups": [["b", "a"], ["c", "a"]]}}
        """);
    assertThat(request.numSimulations()).isEqualTo(2);
    assertThat(request.design()).isEqualTo(Design.explicit(List.of(List.of("b", "a"), List.of("c", "a"))));
    assertThat(BatchRequestJson.readStored(BatchRequestJson.write(request))).isEqualTo(request);

    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c"], "interaction_size": 2,
         "design": {"type": "explicit", "groups": [["a", "b"], ["b", "a"], ["a", "x"], ["a", "a"], ["a"]]}}
        """));
    assertThat(e.errors()).extracting(FieldError::toString).contains(
        "design.groups[1]: repeats an earlier group; use replicates to run a group more than once, or allow_duplicate_groups",
        "design.groups[2]: names entities not in entity_ids: x",
        "design.groups[3]: names entity 'a' twice",
        "design.groups[4]: has 1 members but interaction_size is 2");
  }

  @Test
  void badDesignFieldsAreNamedAndExtensionsCannotBeGivenOnCreation() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c"], "interaction_size": 2, "num_simulations": 1,
         "design": {"type": "latin"}, "constraints": {"unique": true}, "speaking_order": "clockwise",
         "extensions": []}
        """));
    assertThat(fields(e)).contains("design.type", "constraints.unique", "speaking_order", "extensions");
    ValidationException ranges = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b", "c"], "interaction_size": 2, "num_simulations": 1,
         "constraints": {"distinct_by": ["a", "b"], "require": [{"attribute": "r", "value": "v", "min": 3}]}}
        """));
    assertThat(fields(ranges)).containsExactly("constraints.distinct_by", "constraints.require[0].min");
    assertThat(e.getMessage()).contains("design.type: must be random, balanced or explicit, was 'latin'");
  }
}
