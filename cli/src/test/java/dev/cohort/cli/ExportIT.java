package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every export format, written by {@code cohort export} and {@code cohort run --export}, parses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ORIGINAL_COLUMNS = List.of("Simulation ID", "Sequence Number",
      "Interaction Type", "Entity IDs", "Entity Names", "Entity Descriptions", "Context", "Content", "Timestamp");

  @TempDir
  static Path dir;

  private CohortCli cli;
  private String batchId;

  @BeforeAll
  void runABatchAndExportItAsJson() throws IOException {
    cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli.Result run = cli.run("run", "--entities", "people.json", "--context", "A panel on climate change",
        "--interaction-size", "2", "--num-simulations", "3", "--n-turns", "2", "--export", "batch.json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    batchId = run.batchId();
    assertThat(run.out()).contains("Exported json to " + dir.resolve("batch.json"));
  }

  @Test
  void runExportWritesTheJsonDocumentWithSimulationsAndEntities() throws IOException {
    JsonNode batch = JSON.readTree(dir.resolve("batch.json").toFile());

    assertThat(batch.get("id").asText()).isEqualTo(batchId);
    assertThat(batch.get("status").asText()).isEqualTo("completed");
    assertThat(batch.get("simulations")).hasSize(3);
    JsonNode first = batch.get("simulations").get(0);
    assertThat(first.get("interaction_type").asText()).isEqualTo("dyadic");
    assertThat(first.get("content").asText()).isNotBlank();
    assertThat(first.get("metadata").get("final_turn_number").asInt()).isEqualTo(2);
    assertThat(batch.get("entities").has("entity-id-1")).isTrue();
  }

  @Test
  void csvHasTheOriginalColumnsFirstAndOneRowPerSimulation() throws IOException {
    CohortCli.Result result = cli.run("export", batchId, "--format", "csv", "--output", "batch.csv");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<CSVRecord> rows = csv(Files.readString(dir.resolve("batch.csv"), StandardCharsets.UTF_8));
    assertThat(rows.get(0).toList().subList(0, 9)).isEqualTo(ORIGINAL_COLUMNS);
    assertThat(rows).hasSize(1 + 3);
    assertThat(rows.get(1).get(2)).isEqualTo("dyadic");
  }

  @Test
  void jsonlHasOneSimulationPerLineAndTakesItsFormatFromTheExtension() throws IOException {
    CohortCli.Result result = cli.run("export", batchId, "--output", "batch.jsonl");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("batch.jsonl"));
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      assertThat(JSON.readTree(line).get("batch_id").asText()).isEqualTo(batchId);
    }
  }

  @Test
  void utterancesCsvToStandardOutputHasOneRowPerTurn() throws IOException {
    CohortCli.Result result = cli.run("export", batchId, "--format", "utterances-csv", "--output", "-");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<CSVRecord> rows = csv(result.out());
    assertThat(rows.get(0).toList()).startsWith("Batch ID", "Simulation ID", "Sequence Number");
    assertThat(rows).hasSize(1 + 3 * 2);
    assertThat(result.err()).isEmpty();
  }

  @Test
  void theMessageNamesTheFormatAsTheFlagSpellsIt() {
    CohortCli.Result result = cli.run("export", batchId, "--format", "utterances-csv", "--output", "turns.csv");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("Exported batch " + batchId + " as utterances-csv to ")
        .doesNotContain("utterances_csv");
  }

  private static List<CSVRecord> csv(String text) throws IOException {
    try (Reader reader = new StringReader(text); CSVParser parser = CSVFormat.RFC4180.parse(reader)) {
      return parser.getRecords();
    }
  }
}
