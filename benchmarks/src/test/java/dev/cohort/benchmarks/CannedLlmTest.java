package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CannedLlmTest {
  private static final String PROMPT = "Participants:\n"
      + "- Panelist: Participant number 12 of the panel.\n"
      + "- Panelist: Participant number 3 of the panel.\n"
      + "\nConversation so far:\n\n\nWrite turns 3 to 3 (round 3 of 4).\n";

  @Test
  void readsTheParticipantsAndTheRoundFromThePrompt() {
    assertThat(CannedLlm.descriptions(PROMPT))
        .containsExactly("Participant number 12 of the panel.", "Participant number 3 of the panel.");
    assertThat(CannedLlm.round(PROMPT)).isEqualTo(3);
  }

  @Test
  void latencyDependsOnTheSeedTheSimulationAndTheRoundButNotTheSpeakingOrder() {
    long median = 50_000_000L;
    List<String> pair = List.of("a", "b");
    long latency = CannedLlm.latencyNanos(median, 0.5, 1, pair, 2);

    assertThat(CannedLlm.latencyNanos(median, 0.5, 1, List.of("b", "a"), 2)).isEqualTo(latency);
    assertThat(CannedLlm.latencyNanos(median, 0.5, 2, pair, 2)).isNotEqualTo(latency);
    assertThat(CannedLlm.latencyNanos(median, 0.5, 1, pair, 3)).isNotEqualTo(latency);
    assertThat(CannedLlm.latencyNanos(median, 0.5, 1, List.of("a", "c"), 2)).isNotEqualTo(latency);
    assertThat(CannedLlm.latencyNanos(median, 0, 1, pair, 2)).isEqualTo(median);
  }

  @Test
  void aCallWaitsTheLatencyOfItsSimulationAndRoundAndAddsItUp() {
    CannedLlm llm = new CannedLlm(Duration.ofMillis(1), 0.5, 9);
    ChatRequest request = ChatRequest.of(List.of(ChatMessage.system("s"), ChatMessage.user(PROMPT)));

    llm.chat(request);
    llm.chat(request);

    long expected = CannedLlm.latencyNanos(1_000_000L, 0.5, 9,
        List.of("Participant number 3 of the panel.", "Participant number 12 of the panel."), 3);
    assertThat(llm.calls()).isEqualTo(2);
    assertThat(llm.drawn()).isEqualTo(Duration.ofNanos(2 * expected));
    assertThat(llm.longest()).isEqualTo(Duration.ofNanos(expected));
  }
}
