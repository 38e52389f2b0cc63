package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityFlagsTest {

  @Test
  void flagsAreKeptInFlagOrderWithoutRepeats() {
    assertThat(QualityFlags.canonical(List.of(QualityFlag.SILENT_PARTICIPANT, QualityFlag.REFUSAL,
        QualityFlag.SILENT_PARTICIPANT))).containsExactly(QualityFlag.REFUSAL, QualityFlag.SILENT_PARTICIPANT);
  }

  @Test
  void countsKeepOnlyPositiveOnesInFlagOrderAndRejectNegativeOnes() {
    assertThat(QualityFlags.canonicalCounts(Map.of(QualityFlag.TRUNCATED, 0L, QualityFlag.REPETITION, 4L,
        QualityFlag.PERSONA_BREAK, 1L))).containsExactly(Map.entry(QualityFlag.PERSONA_BREAK, 1L),
        Map.entry(QualityFlag.REPETITION, 4L));
    assertThatThrownBy(() -> QualityFlags.canonicalCounts(Map.of(QualityFlag.TRUNCATED, -1L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flagCounts.truncated");
  }

  @Test
  void wireNamesAreSnakeCaseAndReadBack() {
    assertThat(QualityFlag.DUPLICATE_TRANSCRIPT.wireName()).isEqualTo("duplicate_transcript");
    assertThat(QualityFlag.fromWireName("language_mismatch")).hasValue(QualityFlag.LANGUAGE_MISMATCH);
    assertThat(QualityFlag.fromWireName("Refusal")).isEmpty();
  }
}
