package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnWordsTest {
  private static final List<Turn> TURNS = List.of(
      new Turn(1, 1, "a", "Ada", null, "The bus is late, again; it’s the 7:40."),
      new Turn(1, 2, "b", "Bo", "hm", "Der Bus ist wieder zu spät, und das ist nicht gut für die Stadt."),
      new Turn(2, 3, "a", "Ada", null, "The bus is late, again; it’s the 7:40."));

  @Test
  void cutsEachTurnAsWordTokensDoesAndOnlyOnce() {
    TurnWords words = TurnWords.of(TURNS);

    for (int t = 0; t < TURNS.size(); t++) {
      assertThat(words.of(t)).isEqualTo(WordTokens.of(TURNS.get(t).text()));
      assertThat(words.of(t)).isSameAs(words.of(t));
    }
  }

  @Test
  void detectorsGiveTheSameAnswerWithSharedWordsAsAlone() {
    TurnWords shared = TurnWords.of(TURNS);
    for (String language : List.of("en", "de", "fr", "ja", "xx")) {
      assertThat(LanguageMismatchDetector.flags(language, TURNS, shared))
          .as(language).isEqualTo(LanguageMismatchDetector.flags(language, TURNS));
    }
    assertThat(RepetitionDetector.flags(TURNS, shared)).isEqualTo(RepetitionDetector.flags(TURNS));
    for (String language : List.of("en", "de")) {
      List<QualityFlag> flags = SimulationFlagger.flags(language, List.of("a", "b"), TURNS, 0);
      assertThat(flags.contains(QualityFlag.LANGUAGE_MISMATCH)).isEqualTo(LanguageMismatchDetector.flags(language, TURNS));
      assertThat(flags.contains(QualityFlag.REPETITION)).isEqualTo(RepetitionDetector.flags(TURNS));
    }
  }
}
