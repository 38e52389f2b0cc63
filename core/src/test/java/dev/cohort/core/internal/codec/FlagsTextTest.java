package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.QualityFlag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTextTest {

  @Test
  void tallyCountsEachFlagOncePerSimulation() {
    Map<QualityFlag, Long> counts = new FlagsText.Tally()
        .add(List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL, QualityFlag.REPETITION), 1)
        .add(List.of(QualityFlag.REPETITION), 11)
        .add(List.of(), 5)
        .toMap();
    assertThat(counts).isEqualTo(Map.of(QualityFlag.REFUSAL, 1L, QualityFlag.REPETITION, 12L));
  }

  @Test
  void describesTheCountsMostFrequentFirstAsTheSummaryLineShowsThem() {
    assertThat(FlagsText.describe(Map.of(QualityFlag.REFUSAL, 3L, QualityFlag.REPETITION, 12L)))
        .isEqualTo("12 repetition, 3 refusal");
    assertThat(FlagsText.describe(Map.of(QualityFlag.EMPTY_TURN, 2L, QualityFlag.REFUSAL, 2L)))
        .as("ties in flag order").isEqualTo("2 refusal, 2 empty_turn");
    assertThat(FlagsText.describe(Map.of(QualityFlag.TRUNCATED, 0L))).isEqualTo("none");
    assertThat(FlagsText.describe(Map.of())).isEqualTo("none");
  }

  @Test
  void flagsRoundTripThroughTheirTextForm() {
    String text = FlagsText.join(List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL));
    assertThat(text).isEqualTo("refusal,repetition");
    assertThat(FlagsText.join(List.of())).isEmpty();
    assertThat(FlagsText.parse(text)).containsExactly(QualityFlag.REFUSAL, QualityFlag.REPETITION);
    assertThat(FlagsText.parse(null)).isEmpty();
    assertThatThrownBy(() -> FlagsText.parse("refusal,rudeness"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rudeness' is not a quality flag");
  }
}
