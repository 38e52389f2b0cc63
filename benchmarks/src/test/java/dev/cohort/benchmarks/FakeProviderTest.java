package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link FakeProvider} is the provider the estimate accuracy grid says it is: a turn-short answer
 * to 5 % of first asks at every position of a run (the first requests, the pilot's, are not
 * different), and no two turns that are the same text (which the engine would re-ask too).
 */
class FakeProviderTest {
  private static final int SEEDS = 4_000;
  private static final int POSITIONS = 10;

  @Test
  void answersFivePercentOfFirstAsksATurnShortAtEveryPositionOfARun() throws Exception {
    Recorded ask = firstAsk(3);
    int[] shortAnswers = new int[POSITIONS];
    for (long seed = 0; seed < SEEDS; seed++) {
      FakeProvider provider = new FakeProvider(1000 + seed, false);
      for (int i = 0; i < POSITIONS; i++) {
        if (turns(provider, ask).size() < 3) {
          shortAnswers[i]++;
        }
      }
    }
    // 4,000 draws per position: the binomial's standard deviation is 0.34 points; allow 4.5 of them.
    int total = 0;
    for (int i = 0; i < POSITIONS; i++) {
      assertThat((double) shortAnswers[i] / SEEDS).as("short answers at position %d", i + 1).isBetween(0.035, 0.065);
      total += shortAnswers[i];
    }
    assertThat((double) total / (SEEDS * POSITIONS)).as("short answers overall").isBetween(0.045, 0.055);
  }

  @Test
  void neverWritesTwoTurnsWithTheSameText() throws Exception {
    FakeProvider provider = new FakeProvider(7, false);
    Recorded ask = firstAsk(6);
    Set<String> texts = new HashSet<>();
    int turns = 0;
    for (int i = 0; i < 2_000; i++) {
      for (JsonNode turn : turns(provider, ask)) {
        assertThat(texts.add(turn.path("text").asText())).as("turn %d is new", turns).isTrue();
        turns++;
      }
    }
    assertThat(turns).isGreaterThan(11_000);
  }

  private static JsonNode turns(FakeProvider provider, Recorded request) throws Exception {
    return FakeOpenAiServer.JSON.readTree(provider.complete(request).text()).path("turns");
  }

  /** A scripted round's first ask naming {@code speakers} speakers, as the engine's prompt does. */
  private static Recorded firstAsk(int speakers) throws Exception {
    var names = FakeOpenAiServer.JSON.createArrayNode();
    for (int i = 0; i < speakers; i++) {
      names.add("Speaker " + (i + 1));
    }
    var body = FakeOpenAiServer.JSON.createObjectNode();
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You write a town hall meeting.");
    messages.addObject().put("role", "user").put("content", "Speakers, one per turn, in order: " + names + "\nGo on.");
    body.putObject("response_format").putObject("json_schema").putObject("schema").putObject("properties")
        .putObject("turns");
    return new Recorded(0, "POST", "/v1/chat/completions", null, Map.of(), FakeOpenAiServer.JSON.writeValueAsString(body),
        "req-1");
  }
}
