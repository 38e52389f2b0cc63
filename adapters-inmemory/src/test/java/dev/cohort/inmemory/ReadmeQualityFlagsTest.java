package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java example of README.md's "Quality flags" section, run through the {@link Cohort} facade
 * with a model that refuses for one persona and gives two others the same answer.
 */
class ReadmeQualityFlagsTest {
  private static final List<Entity> PEOPLE = List.of(
      Entity.of("e1", "Maya Chen", "Climate scientist"),
      Entity.of("e2", "Tom Becker", "Coal-plant engineer"),
      Entity.of("e3", "Amara Okafor", "Policy adviser"),
      Entity.of("e4", "Luis Ortega", "Farmer"));

  /** Answers as the one participant named in the prompt's participant list. */
  private static final LlmPort MODEL = request -> {
    String prompt = String.join("\n", request.messages().stream().map(ChatMessage::content).toList());
    String speaker = PEOPLE.stream().map(Entity::name).filter(prompt::contains).findFirst().orElseThrow();
    String text = switch (speaker) {
      case "Maya Chen" -> "I'm sorry, but I can't continue this conversation.";
      case "Tom Becker", "Amara Okafor" -> "The plant employs four hundred people, and nobody has told them what"
          + " comes after it closes, so of course they are angry at every meeting.";
      default -> "My fields flooded twice this spring; I need the drainage fixed before anyone talks about targets.";
    };
    return ChatResponse.of("{\"turns\":[{\"speaker\":\"" + speaker + "\",\"text\":\"" + text + "\"}]}",
        new TokenUsage(50, 20, 0));
  };

  @Test
  void theReadmeExampleFindsTheRefusalAndTheDuplicates() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Batch batch;
    try (Cohort cohort = Cohort.builder().llm(MODEL).repository(InMemoryRepository.create()).build()) {
      cohort.saveEntities(PEOPLE);
      String batchId = cohort.run(BatchRequest.builder().name("Flags").context("A town hall about the coal plant")
          .entityIds("e1", "e2", "e3", "e4").interactionSize(1).numSimulations(4).nTurns(1).build()).id();
      // --- README example begins ---
      Batch flagged = cohort.findBatch(batchId).orElseThrow();
      System.out.println("Flags: " + flagged.flagCounts());          // {REFUSAL=1, DUPLICATE_TRANSCRIPT=2}
      cohort.forEachSimulation(batchId, s -> {
        if (s.flags().contains(QualityFlag.REFUSAL)) {
          System.out.println("#" + s.sequenceNumber() + " refused:\n" + s.content());
        }
      });
      // --- README example ends ---
      batch = flagged;
    } finally {
      System.setOut(original);
    }
    assertThat(batch.flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 2L));
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .startsWith("Flags: {REFUSAL=1, DUPLICATE_TRANSCRIPT=2}")
        .contains("refused:\nMaya Chen: \"I'm sorry, but I can't continue this conversation.\"");
  }
}
