package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java example of README.md, verbatim between the markers, so it cannot go stale. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleRunsAndPrintsEveryTranscript() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    PrintStream original = System.out;
    System.setOut(out);
    Batch result;
    try {
      result = readmeExample();
    } finally {
      System.setOut(original);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(result.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(printed).startsWith("COMPLETED BatchCounts[pending=0, running=0, completed=3, failed=0, cancelled=0]");
    assertThat(printed.split("\n\n")).hasSizeGreaterThanOrEqualTo(3);
  }

  private static Batch readmeExample() {
    // --- README example begins ---
    try (Cohort cohort = Cohort.builder()
        .llm(SimulatedLlm.create())                 // or OpenAiChatModel.fromEnv()
        .repository(InMemoryRepository.create())    // or JdbcRepository.sqlite(Path.of("cohort.db"))
        .build()) {
      cohort.saveEntities(List.of(
          Entity.of("e1", "Maya Chen", "Climate scientist"),
          Entity.of("e2", "Tom Becker", "Coal-plant engineer"),
          Entity.of("e3", "Amara Okafor", "Policy adviser"),
          Entity.of("e4", "Luis Ortega", "Farmer")));
      Batch batch = cohort.run(BatchRequest.builder()     // createBatch(...) returns at once instead
          .name("Climate Change Discussion")
          .context("A panel discussion about potential solutions to climate change")
          .entityIds("e1", "e2", "e3", "e4")
          .interactionSize(2).numSimulations(3).nTurns(2)
          .build());
      System.out.println(batch.status() + " " + batch.counts());
      cohort.forEachSimulation(batch.id(), s -> System.out.println(s.entityIds() + "\n" + s.content()));
    // --- README example ends ---
      return batch;
    }
  }
}
