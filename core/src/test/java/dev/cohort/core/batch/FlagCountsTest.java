package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagCountsTest {

  @Test
  void countsEachFlagOncePerSimulationInFlagOrder() {
    Map<QualityFlag, Long> counts = new FlagCounts()
        .add(List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL, QualityFlag.REPETITION))
        .add(List.of(QualityFlag.REPETITION), 11)
        .add(List.of())
        .toMap();
    assertThat(counts).containsExactly(Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.REPETITION, 12L));
  }

  @Test
  void describesTheCountsMostFrequentFirstAsTheSummaryLineShowsThem() {
    assertThat(FlagCounts.describe(Map.of(QualityFlag.REFUSAL, 3L, QualityFlag.REPETITION, 12L)))
        .isEqualTo("12 repetition, 3 refusal");
    assertThat(FlagCounts.describe(Map.of(QualityFlag.EMPTY_TURN, 2L, QualityFlag.REFUSAL, 2L)))
        .as("ties in flag order").isEqualTo("2 refusal, 2 empty_turn");
    assertThat(FlagCounts.describe(Map.of())).isEqualTo("none");
  }

  @Test
  void aBatchKeepsOnlyPositiveCountsAndRejectsNegativeOnes() {
    assertThat(FlagCounts.canonical(Map.of(QualityFlag.TRUNCATED, 0L))).isEmpty();
    assertThatThrownBy(() -> FlagCounts.canonical(Map.of(QualityFlag.TRUNCATED, -1L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flagCounts.truncated");
  }

  @Test
  void flagsRoundTripThroughTheirTextForm() {
    String text = QualityFlags.join(List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL));
    assertThat(text).isEqualTo("refusal,repetition");
    assertThat(QualityFlags.parse(text)).containsExactly(QualityFlag.REFUSAL, QualityFlag.REPETITION);
    assertThat(QualityFlags.parse(null)).isEmpty();
    assertThatThrownBy(() -> QualityFlags.parse("refusal,rudeness"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rudeness' is not a quality flag");
  }
}
