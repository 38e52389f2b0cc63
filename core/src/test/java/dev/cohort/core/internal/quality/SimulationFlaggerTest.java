package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.QualityFlag;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationFlaggerTest {

  @Test
  void aCleanConversationHasNoFlags() {
    assertThat(SimulationFlagger.flags("English", List.of("e1", "e2"), Turns.of(
        "We have to act now, because every year we wait the seawall gets more expensive.",
        "I understand, but the farmers cannot pay another levy this year."), 0)).isEmpty();
  }

  @Test
  void listsEveryFlagEarnedInFlagOrder() {
    List<QualityFlag> flags = SimulationFlagger.flags("English", List.of("e1", "e2", "e3"), Turns.of(
        "I'm sorry, but I can't continue this conversation.",
        "...",
        "As an AI language model, I have no opinion on the levy."), 1);
    assertThat(flags).containsExactly(QualityFlag.PERSONA_BREAK, QualityFlag.REFUSAL, QualityFlag.EMPTY_TURN,
        QualityFlag.TRUNCATED, QualityFlag.SILENT_PARTICIPANT);
  }

  @Test
  void rejectsANegativeTruncationCount() {
    assertThatThrownBy(() -> SimulationFlagger.flags("English", List.of(), List.of(), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncatedAnswers");
  }
}
