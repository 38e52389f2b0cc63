package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmptyTurnDetectorTest {

  @ParameterizedTest
  @ValueSource(strings = {"...", " — ", "**", "\"\"", "…"})
  void flagsATurnWithoutAnyLetterOrDigit(String text) {
    assertThat(EmptyTurnDetector.flags(Turns.of("The levy is unfair to the farmers.", text))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*nods slowly*", "No.", "42", "はい。", "Ну да."})
  void leavesShortTurnsThatSaySomething(String text) {
    assertThat(EmptyTurnDetector.flags(Turns.of("The levy is unfair to the farmers.", text))).isFalse();
  }
}
