package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.export.BatchExporter;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.export.ExportOptions;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.testkit.Entities;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@link Cohort} facade's export calls, on a batch the runner really ran. */
class CohortExportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Answers every round with one turn by the first sample entity named among the participants. */
  private static final LlmPort ONE_LINER = request -> {
    String prompt = request.messages().stream().map(ChatMessage::content).reduce("", String::concat);
    Entity speaker = Entities.sample().stream().filter(e -> prompt.contains("- " + e.name() + ":"))
        .findFirst().orElseThrow();
    String answer = "{\"turns\":[{\"speaker\":\"" + speaker.name() + "\",\"thought\":\"=SUM(A1)\","
        + "\"text\":\"Hello, \\\"bridge\\\" | 🌉\"}]}";
    return ChatResponse.of(answer, new TokenUsage(50, 10, 0));
  };

  private final InMemoryRepository repository = InMemoryRepository.create();
  private final Cohort cohort = Cohort.builder().llm(ONE_LINER).repository(repository).build();

  @AfterEach
  void close() {
    cohort.close();
  }

  private Batch runSoloBatch() {
    cohort.saveEntities(Entities.sample());
    Batch batch = cohort.run(BatchRequest.builder().name("Bridge").context("A town hall about a bicycle bridge.")
        .entityIds(Entities.sample().stream().map(Entity::id).toList()).interactionSize(1).numSimulations(5)
        .build());
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    return batch;
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void exportWritesWhatTheExporterWritesForTheSameBatch(ExportFormat format) {
    Batch batch = runSoloBatch();
    ByteArrayOutputStream viaCohort = new ByteArrayOutputStream();
    ByteArrayOutputStream viaExporter = new ByteArrayOutputStream();
    ByteArrayOutputStream exact = new ByteArrayOutputStream();
    ByteArrayOutputStream exactViaExporter = new ByteArrayOutputStream();
    ExportOptions options = ExportOptions.builder().neutraliseFormulas(false).build();

    cohort.export(batch.id(), format, viaCohort);
    BatchExporter.of(repository).export(batch.id(), format, viaExporter);
    cohort.export(batch.id(), format, options, exact);
    BatchExporter.of(repository).export(batch.id(), format, options, exactViaExporter);

    assertThat(viaCohort.toByteArray()).isNotEmpty().isEqualTo(viaExporter.toByteArray());
    assertThat(exact.toByteArray()).isEqualTo(exactViaExporter.toByteArray());
    if (format == ExportFormat.UTTERANCES_CSV) {
      // The thought is a cell of its own there, and starts with "=".
      assertThat(viaCohort.toString(StandardCharsets.UTF_8)).contains("'=SUM(A1)");
      assertThat(exact.toString(StandardCharsets.UTF_8)).doesNotContain("'=SUM(A1)").contains("=SUM(A1)");
    }
  }

  @Test
  void exportEntitiesWritesTheBatchsEntitySnapshot() {
    Batch batch = runSoloBatch();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream withBom = new ByteArrayOutputStream();

    cohort.exportEntities(batch.id(), out);
    cohort.exportEntities(batch.id(), ExportOptions.builder().byteOrderMark(true).build(), withBom);

    String csv = out.toString(StandardCharsets.UTF_8);
    assertThat(csv.split("\r\n")).hasSize(1 + Entities.sample().size());
    assertThat(csv).startsWith("Entity ID,Name,Description,Attributes\r\ne1-ada,Ada Okafor,");
    assertThat(withBom.toByteArray()).startsWith(0xEF, 0xBB, 0xBF);
  }

  @Test
  void exportOfAnUnknownBatchIsNotFound() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatThrownBy(() -> cohort.export("missing", ExportFormat.JSON, out)).isInstanceOf(NotFoundException.class)
        .hasMessage("batch missing does not exist");
    assertThatThrownBy(() -> cohort.exportEntities("missing", out)).isInstanceOf(NotFoundException.class);
  }

  /** The example of README.md's "Exporting results" section. */
  @Test
  void readmeExampleWritesEveryFile(@TempDir Path dir) throws IOException {
    Batch batch = runSoloBatch();
    String batchId = batch.id();

    // --- README example starts
    for (ExportFormat format : ExportFormat.values()) {
      Path file = dir.resolve(format.fileName(batchId)); // batch-<id>.json, batch-<id>-utterances.csv, ...
      try (OutputStream out = Files.newOutputStream(file)) {
        cohort.export(batchId, format, out);
      }
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve("entities.csv"))) {
      cohort.exportEntities(batchId, out);
    }
    // For Excel: a byte order mark; for pipelines that need every cell exactly as stored: no neutralisation.
    ExportOptions forExcel = ExportOptions.builder().byteOrderMark(true).build();
    ExportOptions exact = ExportOptions.builder().neutraliseFormulas(false).build();
    try (OutputStream out = Files.newOutputStream(dir.resolve("for-excel.csv"))) {
      cohort.export(batchId, ExportFormat.CSV, forExcel, out);
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve("exact.csv"))) {
      cohort.export(batchId, ExportFormat.CSV, exact, out);
    }
    // --- README example ends

    JsonNode doc = MAPPER.readTree(dir.resolve("batch-" + batchId + ".json").toFile());
    assertThat(doc.get("simulations")).hasSize(5);
    assertThat(Files.readAllLines(dir.resolve("batch-" + batchId + ".jsonl"))).hasSize(5);
    assertThat(Files.readAllLines(dir.resolve("batch-" + batchId + "-utterances.jsonl"))).hasSize(5);
    assertThat(Files.readString(dir.resolve("batch-" + batchId + ".csv"))).startsWith("Simulation ID,");
    assertThat(Files.readString(dir.resolve("batch-" + batchId + "-utterances.csv"))).startsWith("Batch ID,");
    assertThat(Files.readAllBytes(dir.resolve("for-excel.csv"))).startsWith(0xEF, 0xBB, 0xBF);
    assertThat(Files.readString(dir.resolve("exact.csv"))).startsWith("Simulation ID,").contains("=SUM(A1)");
    assertThat(Files.readString(dir.resolve("entities.csv"))).startsWith("Entity ID,Name,Description,Attributes");
  }
}
