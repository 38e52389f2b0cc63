package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {

  @Test
  void rendersTheOriginalSystemsFormat() {
    List<Turn> turns = List.of(
        new Turn(1, 1, "e1", "Entity 1", "thinking", "Dialog content..."),
        new Turn(1, 2, "e2", "Entity 2", null, "Dialog response..."),
        new Turn(2, 3, "e1", "Entity 1", " ", "Again."));
    assertThat(Transcript.render(turns)).isEqualTo(
        "Entity 1: *thinking*\n\"Dialog content...\"\n\nEntity 2: \"Dialog response...\"\n\nEntity 1: \"Again.\"");
  }

  @Test
  void noTurnsRenderEmpty() {
    assertThat(Transcript.render(List.of())).isEmpty();
  }
}
