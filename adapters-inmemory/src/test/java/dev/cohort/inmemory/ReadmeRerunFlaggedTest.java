package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Java example of README.md's "Rerunning flagged simulations", run through the {@link Cohort}
 * facade and the in-memory store with a model that refuses its first answer and not the second.
 */
class ReadmeRerunFlaggedTest {
  private static final String REFUSAL = "I'm sorry, but I can't continue this conversation.";
  private static final String ANSWER = "My fields flooded twice this spring; I need the drainage fixed first.";

  @Test
  void theReadmeExampleKeepsTheCleanRerunAndShowsTheRefusalInTheHistory() {
    AtomicInteger calls = new AtomicInteger();
    LlmPort model = request -> ChatResponse.of("{\"turns\":[{\"speaker\":\"Luis Ortega\",\"text\":\""
        + (calls.getAndIncrement() == 0 ? REFUSAL : ANSWER) + "\"}]}", new TokenUsage(50, 20, 0));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<Simulation> stored = new ArrayList<>();
    try (Cohort cohort = Cohort.builder().llm(model).repository(InMemoryRepository.create()).build()) {
      cohort.saveEntities(List.of(Entity.of("e4", "Luis Ortega", "Farmer")));
      // --- README example begins ---
      BatchRequest request = BatchRequest.builder().name("Flags").context("A town hall about the coal plant")
          .entityIds("e4").interactionSize(1).numSimulations(1)
          .rerunFlagged(Set.of(QualityFlag.REFUSAL, QualityFlag.REPETITION))
          .build();
      String batchId = cohort.run(request).id();
      cohort.forEachSimulation(batchId, s -> {
        for (FailedAttempt earlier : s.attemptHistory()) {
          System.out.println("#" + s.sequenceNumber() + " set aside: " + earlier.flags() + " " + earlier.error());
        }
        System.out.println("#" + s.sequenceNumber() + " kept: " + s.flags() + " " + s.usage().calls() + " calls");
      });
      // --- README example ends ---
      cohort.forEachSimulation(batchId, stored::add);
    } finally {
      System.setOut(original);
    }
    assertThat(calls).hasValue(2);
    assertThat(stored).singleElement().satisfies(s -> {
      assertThat(s.content()).isEqualTo("Luis Ortega: \"" + ANSWER + "\"");
      assertThat(s.attemptHistory()).singleElement()
          .satisfies(a -> assertThat(a.turns().get(0).text()).isEqualTo(REFUSAL));
    });
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(
        "#1 set aside: [REFUSAL] flagged refusal; rerun 1 had no flag and was kept\n"
            + "#1 kept: [] 2 calls\n");
  }
}
