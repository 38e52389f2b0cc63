package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.Visibility;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request fields {@code mode} and {@code visibility} in the request's JSON form. */
class RoleplayRequestJsonTest {
  private static BatchRequest read(String json) {
    return BatchRequestJson.read(JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "body"), "body");
  }

  @Test
  void modeAndVisibilityDefaultToScriptedAndDescriptions() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 2, "num_simulations": 1}
        """);

    assertThat(request.mode()).isEqualTo(SimulationMode.SCRIPTED);
    assertThat(request.visibility()).isEqualTo(Visibility.DESCRIPTIONS);
  }

  @Test
  void roleplayWithFullVisibilityIsReadAndReadsBackEqual() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 2, "num_simulations": 1,
         "mode": "roleplay", "visibility": "full"}
        """);

    assertThat(request.mode()).isEqualTo(SimulationMode.ROLEPLAY);
    assertThat(request.visibility()).isEqualTo(Visibility.FULL);
    String stored = BatchRequestJson.write(request);
    assertThat(stored).contains("\"mode\":\"roleplay\"").contains("\"visibility\":\"full\"");
    assertThat(BatchRequestJson.readStored(stored)).isEqualTo(request);
  }

  @Test
  void anUnknownModeOrVisibilityIsRefusedNamingTheFieldAndTheChoices() {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 2, "num_simulations": 1,
         "mode": "improv", "visibility": 3}
        """));

    assertThat(e.errors()).extracting(FieldError::field).containsExactly("mode", "visibility");
    assertThat(e.errors().get(0).message()).isEqualTo("must be one of scripted, roleplay, was 'improv'");
  }
}
