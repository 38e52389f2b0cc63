package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort analyze} and {@code cohort report} on a batch the offline model ran, in process. */
class AnalyzeCommandTest {
  @TempDir
  Path dir;

  private String db;
  private String batchId;

  @BeforeEach
  void runBatch() {
    db = dir.resolve("cohort.db").toString();
    Samples.write(dir, "people.json", """
        {"entities": [
          {"id": "p1", "name": "Ada", "attributes": {"party": "green"}},
          {"id": "p2", "name": "Boris", "attributes": {"party": "green"}},
          {"id": "p3", "name": "Chiara", "attributes": {"party": "blue"}},
          {"id": "p4", "name": "Devraj", "attributes": {"party": "blue"}}
        ]}""");
    Samples.write(dir, "outcomes.json", """
        [{"name": "agreed", "type": "boolean", "question": "Did they agree?"},
         {"name": "warmth", "type": "integer", "min": 1, "max": 5, "question": "How warm was it?"},
         {"name": "leader", "type": "entity", "question": "Who led?"},
         {"name": "stance", "type": "enum", "values": ["for", "against"], "per": "participant",
          "question": "Final stance?"}]""");
    CohortCli.Result run = InProcess.run("run", "--offline", "--db", db, "--entities",
        dir.resolve("people.json").toString(), "--context", "A town hall", "--interaction-size", "2",
        "--num-simulations", "6", "--replicates", "2", "--n-turns", "2", "--outcomes",
        dir.resolve("outcomes.json").toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    batchId = run.batchId();
  }

  @Test
  void analyzePrintsAlignedTablesForEveryOutcome() throws IOException {
    CohortCli.Result result = InProcess.run("analyze", batchId, "--db", db);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Batch " + batchId + ": ", " of 12 simulations analysed (",
        "flagged excluded", "== agreed (boolean, per simulation)", "== warmth (integer, per simulation)",
        "Entity effects (mean with the entity minus without; Welch; p adjusted by Holm):",
        "ENTITY  WITH N  WITH MEAN", "Composition (the outcome by how many members had the value):",
        "== leader (entity, per simulation)", "Naming rate", "== stance (enum, per participant)");
    // 6 groups ran twice. Which simulations the flags exclude depends on the offline model's answers,
    // which depend on the order its calls run in (one or two of them in CI runs), so the text must say
    // what the same analysis finds (the JSON test counts all 6 with flagged ones included).
    JsonNode icc = new ObjectMapper().readTree(InProcess.run("analyze", batchId, "--db", db, "--json", "--outcome",
        "agreed").out()).get("outcomes").get(0).get("icc");
    assertThat(icc.get("groups").asInt()).isBetween(1, 6);
    assertThat(result.out()).contains("Replicates: " + icc.get("groups").asInt() + " groups ran "
        + icc.get("observations").asInt() + " times");
    // Columns line up: every row of a table starts its second column where the header does.
    String[] lines = result.out().split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("ENTITY  WITH N")) {
        int column = lines[i].indexOf("WITH N");
        assertThat(lines[i + 1].charAt(column - 1)).isEqualTo(' ');
        assertThat(lines[i + 1].charAt(column)).isNotEqualTo(' ');
      }
    }
  }

  @Test
  void analyzeJsonIsTheRestShapeAndOneOutcomeCanBeChosen() throws IOException {
    CohortCli.Result result = InProcess.run("analyze", batchId, "--db", db, "--json", "--outcome", "warmth",
        "--include-flagged");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("batch_id").asText()).isEqualTo(batchId);
    assertThat(json.get("flagged_included").asBoolean()).isTrue();
    assertThat(json.get("outcomes")).hasSize(1);
    assertThat(json.get("outcomes").get(0).get("icc").get("groups").asInt()).isEqualTo(6);
  }

  @Test
  void anUnknownOutcomeIsAUsageErrorNamingIt() {
    CohortCli.Result result = InProcess.run("analyze", batchId, "--db", db, "--outcome", "mood");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("declares no outcome named \"mood\"");
  }

  @Test
  void reportWritesOneSelfContainedHtmlFile() throws IOException {
    Path file = dir.resolve("report.html");
    CohortCli.Result result = InProcess.run("report", batchId, "--db", db, "--output", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("Wrote the report of batch " + batchId + " to " + file);
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy").contains("Entity effects on warmth")
        .doesNotContain("<script");
  }
}
