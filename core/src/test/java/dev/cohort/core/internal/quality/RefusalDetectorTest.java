package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefusalDetectorTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "I'm sorry, but I can't continue this conversation.",
      "I’m sorry, but I can’t help with that request.",
      "I cannot assist with this request, as it involves describing violence against a real group.",
      "I won't be able to create that content.",
      "I must respectfully decline to write this dialogue.",
      "Writing this would be against my guidelines.",
      "I'm not comfortable role-playing a character who holds these views.",
  })
  void flagsTheModelDecliningTheTask(String text) {
    assertThat(RefusalDetector.refuses(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "I can't support this plan: it takes water from the farms downstream.",
      "I refuse to sign anything until the council publishes the flood maps.",
      "Sorry, I'm late — the bus from the harbour was cancelled again.",
      "We cannot continue to subsidise coal while the coast disappears.",
      "I'm sorry for your loss; the storm took my brother's boat too.",
  })
  void leavesPersonasWhoRefuseThingsInsideTheStory(String text) {
    assertThat(RefusalDetector.refuses(text)).isFalse();
  }

  @Test
  void flagsATranscriptWithOneRefusingTurn() {
    assertThat(RefusalDetector.flags(Turns.of(
        "The levy should fund the seawall first.",
        "I'm sorry, but I can't take part in this scenario."))).isTrue();
    assertThat(RefusalDetector.flags(Turns.of(
        "The levy should fund the seawall first.",
        "I can't agree: the schools need it more."))).isFalse();
  }
}
