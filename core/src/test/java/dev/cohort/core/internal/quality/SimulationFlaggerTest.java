package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Turn;
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
  void assessingGivesTheFlagsAndTheSignatureEachGivesAlone() {
    List<List<Turn>> transcripts = List.of(
        Turns.of("We have to act now, because every year we wait the seawall gets more expensive.",
            "I understand, but the farmers cannot pay another levy this year."),
        Turns.of("I'm sorry, but I can't continue this conversation.", "...",
            "As an AI language model, I have no opinion on the levy."),
        Turns.of("Nous devons agir maintenant, parce que chaque année la digue coûte plus cher.",
            "the same the same the same words again and the same words again and again"),
        Turns.of("...", "!!"),
        List.of());
    for (List<Turn> turns : transcripts) {
      SimulationQuality quality = SimulationFlagger.assess("English", List.of("e1", "e2", "e3"), turns, 1);
      assertThat(quality.flags()).isEqualTo(SimulationFlagger.flags("English", List.of("e1", "e2", "e3"), turns, 1));
      int[] alone = DuplicateTranscripts.signature(turns);
      if (alone == null) {
        assertThat(quality.transcriptSignature()).isNull();
      } else {
        assertThat(quality.transcriptSignature()).containsExactly(alone);
      }
    }
    assertThat(SimulationFlagger.assess("English", List.of("e1"), transcripts.get(0), 0).transcriptSignature())
        .as("a transcript with words is signed").isNotNull();
  }

  @Test
  void rejectsANegativeTruncationCount() {
    assertThatThrownBy(() -> SimulationFlagger.flags("English", List.of(), List.of(), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncatedAnswers");
  }
}
