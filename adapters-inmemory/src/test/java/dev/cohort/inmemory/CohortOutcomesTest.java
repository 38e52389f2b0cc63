package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.testkit.Entities;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declared outcomes end to end: extraction after the dialogue, failures, re-extraction and the exports. */
class CohortOutcomesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<DeclaredOutcome> THREE = List.of(
      DeclaredOutcome.bool("agreed", "Did the group reach an agreement?"),
      DeclaredOutcome.integer("tone", "How friendly was the tone, from 1 (hostile) to 5 (warm)?", 1, 5),
      DeclaredOutcome.oneOf("stance", "What is this participant's final stance on the bridge?",
          "for", "against", "undecided").perParticipant());

  /**
   * The simulated model, counting dialogue and extraction calls apart (an extraction is a call whose
   * schema is not the turn format), with extraction failures switched on and off.
   */
  private static final class CountingModel implements LlmPort {
    final SimulatedLlm delegate = SimulatedLlm.create();
    final AtomicInteger dialogueCalls = new AtomicInteger();
    final AtomicInteger extractionCalls = new AtomicInteger();
    final AtomicBoolean failExtraction = new AtomicBoolean();
    final List<TokenUsage> billed = new ArrayList<>();

    @Override
    public ChatResponse chat(ChatRequest request) {
      boolean extraction = request.jsonSchema() != null
          && !(request.jsonSchema().get("properties") instanceof Map<?, ?> p && p.containsKey("turns"));
      (extraction ? extractionCalls : dialogueCalls).incrementAndGet();
      if (extraction && failExtraction.get()) {
        throw new CallFatalLlmException("simulated bad request (HTTP 400)");
      }
      ChatResponse response = delegate.chat(request);
      synchronized (billed) {
        billed.add(response.usage());
      }
      return response;
    }

    TokenUsage total() {
      synchronized (billed) {
        return billed.stream().reduce(TokenUsage.ZERO, TokenUsage::plus);
      }
    }
  }

  private final CountingModel model = new CountingModel();
  private final Cohort cohort = Cohort.builder().llm(model).repository(InMemoryRepository.create()).build();

  @AfterEach
  void close() {
    cohort.close();
  }

  private Batch run(List<DeclaredOutcome> outcomes) {
    cohort.saveEntities(Entities.sample());
    return cohort.run(BatchRequest.builder().name("Bridge").context("A town hall about a bicycle bridge.")
        .entityIds(Entities.sample().stream().map(Entity::id).toList()).interactionSize(2).numSimulations(4)
        .nTurns(3).seed(11L).outcomes(outcomes).build());
  }

  private List<Simulation> simulations(String batchId) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(batchId, all::add);
    return all;
  }

  @Test
  void everyCompletedSimulationGetsItsOutcomesFromOneExtractionCallCountedInItsUsage() {
    Batch batch = run(THREE);

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(model.extractionCalls).hasValue(4);
    for (Simulation s : simulations(batch.id())) {
      assertThat(s.outcomes()).containsOnlyKeys("agreed", "tone", "stance");
      assertThat(s.outcomes().get("agreed")).isInstanceOf(Boolean.class);
      assertThat((Integer) s.outcomes().get("tone")).isBetween(1, 5);
      assertThat(new ArrayList<Object>(((Map<?, ?>) s.outcomes().get("stance")).keySet()))
          .containsExactlyInAnyOrderElementsOf(s.entityIds());
      assertThat(s.outcomeError()).isNull();
      assertThat(s.outcomeExtraction().model()).isEqualTo(SimulatedLlm.MODEL_NAME);
      assertThat(s.outcomeExtraction().prompt()).contains("\"stance\" (for each participant: one of");
    }
    TokenUsage answered = model.total();
    // Every call counted: the four simulations' one round each and their four extractions.
    assertThat(cohort.getBatch(batch.id()).usage()).isEqualTo(new TokenUsage(
        answered.promptTokens(), answered.completionTokens(), answered.cachedTokens(), 8));
  }

  @Test
  void aFailedExtractionKeepsTheDialogueAndAReextractionFillsItInWithoutSimulatingAgain() {
    model.failExtraction.set(true);
    Batch batch = run(THREE);

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    List<Simulation> failed = simulations(batch.id());
    assertThat(failed).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(s.turns()).hasSize(3);
      assertThat(s.outcomes()).isEmpty();
      assertThat(s.outcomeError()).isEqualTo("the extraction call failed: simulated bad request (HTTP 400)");
    });
    int dialogueCalls = model.dialogueCalls.get();

    model.failExtraction.set(false);
    cohort.extractOutcomes(batch.id(), THREE);
    Batch again = cohort.await(batch.id());

    assertThat(again.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(model.dialogueCalls).hasValue(dialogueCalls);
    List<Simulation> extracted = simulations(batch.id());
    for (int i = 0; i < extracted.size(); i++) {
      assertThat(extracted.get(i).turns()).isEqualTo(failed.get(i).turns());
      assertThat(extracted.get(i).outcomes()).containsOnlyKeys("agreed", "tone", "stance");
      assertThat(extracted.get(i).outcomeError()).isNull();
    }
  }

  @Test
  void aNewQuestionJoinsTheOldOnesAndReplaceDropsThem() {
    Batch batch = run(THREE);
    Map<String, Object> before = simulations(batch.id()).get(0).outcomes();
    int extractions = model.extractionCalls.get();

    cohort.extractOutcomes(batch.id(), List.of(DeclaredOutcome.entity("leader", "Who led the conversation?")));
    cohort.await(batch.id());

    assertThat(model.extractionCalls.get()).isEqualTo(extractions + 4);
    assertThat(cohort.getBatch(batch.id()).request().outcomes()).extracting(DeclaredOutcome::name)
        .containsExactly("agreed", "tone", "stance", "leader");
    Simulation first = simulations(batch.id()).get(0);
    assertThat(first.outcomes()).containsAllEntriesOf(before);
    assertThat(first.entityIds()).contains((String) first.outcomes().get("leader"));

    cohort.extractOutcomes(batch.id(), List.of(DeclaredOutcome.bool("agreed", "Did they agree at the end?")), true);
    Batch replaced = cohort.await(batch.id());

    assertThat(replaced.request().outcomes()).extracting(DeclaredOutcome::question)
        .containsExactly("Did they agree at the end?");
    assertThat(simulations(batch.id())).allSatisfy(s -> assertThat(s.outcomes()).containsOnlyKeys("agreed"));
  }

  @Test
  void aReextractionStoppedByItsWorkerIsFinishedByAnotherThroughTheWorkQueue() {
    InMemoryRepository shared = InMemoryRepository.create();
    SimulatedLlm slow = SimulatedLlm.builder().latency(Duration.ofMillis(300), Duration.ofMillis(300)).build();
    try (Cohort first = Cohort.builder().llm(SimulatedLlm.create()).repository(shared).build()) {
      first.saveEntities(Entities.sample());
      Batch batch = first.run(BatchRequest.builder().name("Bridge").context("A town hall about a bicycle bridge.")
          .entityIds(Entities.sample().stream().map(Entity::id).toList()).interactionSize(2).numSimulations(6)
          .nTurns(2).seed(3L).outcomes(List.of(THREE.get(0))).build());
      Cohort stopped = Cohort.builder().llm(slow).repository(shared).maxInFlight(2).build();
      Batch extracting = stopped.extractOutcomes(batch.id(), List.of(THREE.get(1)));
      assertThat(extracting.status()).isEqualTo(BatchStatus.IN_PROGRESS);
      stopped.close();

      Batch interrupted = first.getBatch(batch.id());
      assertThat(interrupted.counts().completed()).as("the worker stopped before extracting everything")
          .isLessThan(6);
      first.resume(batch.id());
      Batch finished = first.await(batch.id());

      assertThat(finished.status()).isEqualTo(BatchStatus.COMPLETED);
      List<Simulation> all = new ArrayList<>();
      first.forEachSimulation(batch.id(), all::add);
      assertThat(all).hasSize(6).allSatisfy(s -> assertThat(s.outcomes()).containsOnlyKeys("agreed", "tone"));
    }
  }

  @Test
  void reextractionIsRefusedWithAReasonForAnInvalidDeclaration() {
    Batch batch = run(List.of());

    assertThatThrownBy(() -> cohort.extractOutcomes(batch.id(), List.of()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("outcomes");
    assertThatThrownBy(() -> cohort.extractOutcomes(batch.id(),
        List.of(DeclaredOutcome.bool("ok", "q"), DeclaredOutcome.bool("ok", "again"))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("outcomes[1].name");
  }

  @Test
  void theParticipantTableHasOneRectangularRowPerParticipantWithAttributesOutcomesAndSpeech() throws Exception {
    Batch batch = run(THREE);

    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(export(batch.id(), ExportFormat.PARTICIPANTS_CSV))).getRecords();
    List<String> header = CSVFormat.RFC4180.parse(new StringReader(export(batch.id(), ExportFormat.PARTICIPANTS_CSV)))
        .getRecords().get(0).toList();

    assertThat(header).containsExactly("simulation_id", "sequence_number", "status", "entity_id", "entity_name",
        "attr.occupation", "attr.age", "attr.traits", "outcome.stance", "turns", "words", "spoke_first", "model");
    assertThat(rows).hasSize(8).allSatisfy(r -> assertThat(r.size()).isEqualTo(header.size()));
    List<Simulation> simulations = simulations(batch.id());
    for (int i = 0; i < simulations.size(); i++) {
      Simulation s = simulations.get(i);
      List<CSVRecord> mine = rows.subList(2 * i, 2 * i + 2);
      assertThat(mine).extracting(r -> r.get("entity_id")).containsExactlyElementsOf(s.entityIds());
      assertThat(mine).filteredOn(r -> r.get("spoke_first").equals("yes")).hasSize(1);
      assertThat(mine.stream().mapToInt(r -> Integer.parseInt(r.get("turns"))).sum()).isEqualTo(3);
      for (CSVRecord r : mine) {
        assertThat(r.get("outcome.stance")).isEqualTo(((Map<?, ?>) s.outcomes().get("stance")).get(r.get("entity_id")));
        assertThat(Long.parseLong(r.get("words"))).isEqualTo(s.turns().stream()
            .filter(t -> t.speakerId().equals(r.get("entity_id")))
            .mapToLong(t -> t.text().trim().split("\\s+").length).sum());
      }
    }
    CSVRecord ada = rows.stream().filter(r -> r.get("entity_id").equals(Entities.ADA.id())).findFirst().orElseThrow();
    assertThat(ada.get("attr.age")).isEqualTo("67");
    assertThat(ada.get("attr.traits")).isEqualTo("[\"patient\",\"practical\"]");

    String[] lines = export(batch.id(), ExportFormat.PARTICIPANTS_JSONL).split("\n");
    assertThat(lines).hasSize(8);
    JsonNode line = MAPPER.readTree(lines[0]);
    assertThat(line.get("spoke_first").isBoolean()).isTrue();
    assertThat(line.get("attr.traits").isArray()).isTrue();
  }

  @Test
  void simulationLevelOutcomesAreCsvColumnsAndEveryOutcomeIsInTheJsonLines() throws Exception {
    Batch batch = run(THREE);

    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(export(batch.id(), ExportFormat.CSV))).getRecords();
    List<Simulation> simulations = simulations(batch.id());
    assertThat(rows.get(0).getParser().getHeaderNames()).endsWith("outcome.agreed", "outcome.tone")
        .doesNotContain("outcome.stance");
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).get("outcome.agreed")).isEqualTo(String.valueOf(simulations.get(i).outcomes().get("agreed")));
      assertThat(rows.get(i).get("outcome.tone")).isEqualTo(String.valueOf(simulations.get(i).outcomes().get("tone")));
    }
    JsonNode first = MAPPER.readTree(export(batch.id(), ExportFormat.JSONL).split("\n")[0]);
    assertThat(first.get("outcomes").fieldNames()).toIterable().containsExactly("agreed", "tone", "stance");
    assertThat(first.get("outcome_extraction").get("model").asText()).isEqualTo(SimulatedLlm.MODEL_NAME);
  }

  /** The example of README.md's "Declaring outcomes" section. */
  @Test
  void readmeExampleDeclaresThreeOutcomesAndWritesTheParticipantTable(@TempDir Path dir) throws IOException {
    cohort.saveEntities(Entities.sample());

    // --- README example starts
    List<DeclaredOutcome> outcomes = List.of(
        DeclaredOutcome.bool("agreed", "Did the group agree on what the town should do?"),
        DeclaredOutcome.oneOf("stance", "What is this participant's final stance on the bridge?",
            "for", "against", "undecided").perParticipant(),
        DeclaredOutcome.bool("changed_mind", "Did this participant change their mind during the conversation?")
            .perParticipant());
    Batch batch = cohort.run(BatchRequest.builder()
        .name("Bridge town hall")
        .context("A town hall meeting about building a bicycle bridge over the river.")
        .entityIds("e1-ada", "e2-boris", "e3-chiara", "e4-devraj")
        .interactionSize(3).numSimulations(4).nTurns(6)
        .outcomes(outcomes)                 // .outcomeModel("gpt-4o-mini") to extract with another model
        .build());
    Path table = dir.resolve(ExportFormat.PARTICIPANTS_CSV.fileName(batch.id())); // batch-<id>-participants.csv
    try (OutputStream out = Files.newOutputStream(table)) {
      cohort.export(batch.id(), ExportFormat.PARTICIPANTS_CSV, out);
    }
    // --- README example ends

    List<String> lines = Files.readAllLines(table);
    assertThat(lines.get(0)).isEqualTo("simulation_id,sequence_number,status,entity_id,entity_name,"
        + "attr.occupation,attr.age,attr.traits,outcome.stance,outcome.changed_mind,turns,words,spoke_first,model");
    assertThat(lines).hasSize(1 + 4 * 3);
    assertThat(simulations(batch.id())).allSatisfy(s -> assertThat(s.outcomes())
        .containsOnlyKeys("agreed", "stance", "changed_mind"));
  }

  private String export(String batchId, ExportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cohort.export(batchId, format, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
