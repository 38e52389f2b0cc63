package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ValidationException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchRequestReaderTest {
  private static BatchRequest read(String json) {
    return BatchRequestReader.read(RequestJson.parse(json.getBytes(StandardCharsets.UTF_8)), 1000);
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
  void aDecimalWithAZeroFractionIsNotAWholeNumber() {
    assertThatThrownBy(() -> read("""
        {"name": "N", "context": "C", "entity_ids": ["a", "b"], "interaction_size": 1, "num_simulations": 2,
         "simulation_rounds": 2.0}
        """))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("simulation_rounds: must be a whole number");
  }

  @Test
  void metadataKeepsNestedJsonValues() {
    BatchRequest request = read("""
        {"name": "N", "context": "C", "entity_ids": ["a"], "interaction_size": 1, "num_simulations": 1,
         "metadata": {"n": 1, "big": 123456789012345678901234567890, "x": 0.25, "list": [true, null, "s"],
                      "nested": {"deep": {"er": []}}}}
        """);

    assertThat(request.metadata().get("n")).isEqualTo(1L);
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
  void combinationsAreCountedUpToTheCap() {
    assertThat(BatchRequestReader.combinationsUpTo(10, 2, 1000)).isEqualTo(45);
    assertThat(BatchRequestReader.combinationsUpTo(30, 5, 1_000_000)).isEqualTo(142_506);
    assertThat(BatchRequestReader.combinationsUpTo(30, 5, 1000)).isEqualTo(1000);
    assertThat(BatchRequestReader.combinationsUpTo(100_000, 50_000, 10)).isEqualTo(10);
    assertThat(BatchRequestReader.combinationsUpTo(4, 4, 10)).isEqualTo(1);
  }
}
