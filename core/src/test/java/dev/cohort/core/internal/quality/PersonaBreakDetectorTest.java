package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Turn;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PersonaBreakDetectorTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "As an AI language model, I don't have personal opinions about the carbon tax.",
      "I'm just an AI, so I can't really say how the farmers in this town feel.",
      "I am a large language model trained to be helpful; here is a balanced view of both positions.",
      "The prompt asks me to play Maya, but I think we should talk about this more neutrally.",
      "Going back to the system prompt, the discussion should stay civil.",
      "Let me step out of character for a moment: both personas make good points.",
      "I was instructed to argue for the wind farm, so I will do that.",
      "My training data only goes up to 2023, so I may not know the latest figures.",
  })
  void flagsTheModelSpeakingAsItself(String text) {
    assertThat(PersonaBreakDetector.breaksPersona(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "AI models at our institute predict twice as many floods by 2050; we cannot ignore that.",
      "I run a small bakery, and a prompt reply from the council would help us plan for the heat.",
      "As a farmer, I have watched the river rise every spring for thirty years.",
      "My grandmother was a character, she would have chained herself to the bulldozers.",
      "The simulation models the university ran last year showed the seawall would fail.",
      "Como científica del clima, creo que el impuesto al carbono es necesario.",
  })
  void leavesPersonasWhoTalkAboutAiOrUseTheWordsInTheirOwnSense(String text) {
    assertThat(PersonaBreakDetector.breaksPersona(text)).isFalse();
  }

  @Test
  void looksAtInnerThoughtsToo() {
    List<Turn> turns = List.of(new Turn(1, 1, "e1", "Maya Chen",
        "I should remember that I am an AI assistant playing a role here", "We need the seawall funded this year."));
    assertThat(PersonaBreakDetector.flags(turns)).isTrue();
    assertThat(PersonaBreakDetector.flags(Turns.of("We need the seawall funded this year."))).isFalse();
  }
}
