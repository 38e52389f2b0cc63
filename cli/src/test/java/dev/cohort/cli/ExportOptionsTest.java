package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --format entities-csv} and {@code --no-neutralise-formulas}, as Java offers them. */
class ExportOptionsTest {
  private static final String ENTITIES = """
      [{"id": "e1", "name": "Maya", "description": "-3 °C outside, she says"},
       {"id": "e2", "name": "Tom", "description": "=HYPERLINK(\\"http://x\\")", "attributes": {"age": 55}},
       {"id": "e3", "name": "Amara"}]
      """;

  @TempDir
  Path dir;

  private String db;
  private String batchId;

  @BeforeEach
  void runABatch() {
    Samples.write(dir, "people.json", ENTITIES);
    db = dir.resolve("cohort.db").toString();
    CohortCli.Result run = InProcess.run("run", "--offline", "--db", db, "--entities", dir.resolve("people.json").toString(),
        "--context", "A chat", "--interaction-size", "2", "--num-simulations", "2", "--progress", "none");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    batchId = run.batchId();
  }

  @Test
  void entitiesCsvExportsTheBatchsEntitiesWithFormulasNeutralised() throws IOException {
    Path file = dir.resolve("people.csv");

    CohortCli.Result result = InProcess.run("export", batchId, "--db", db, "--format", "entities-csv",
        "--output", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    String csv = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(csv.lines().findFirst()).contains("Entity ID,Name,Description,Attributes");
    assertThat(csv.lines().count()).isEqualTo(4);
    assertThat(csv).contains("'-3 °C outside, she says", "'=HYPERLINK");
  }

  @Test
  void noNeutraliseFormulasWritesEveryCellAsStored() throws IOException {
    Path file = dir.resolve("people.csv");

    CohortCli.Result result = InProcess.run("export", batchId, "--db", db, "--format", "entities_csv",
        "--no-neutralise-formulas", "--output", file.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    String csv = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(csv).contains("-3 °C outside, she says", "\"=HYPERLINK(\"\"http://x\"\")\"")
        .doesNotContain("'-3", "'=");
  }

  @Test
  void helpListsEntitiesCsvAmongTheFormats() {
    assertThat(InProcess.run("export", "--help").out()).contains("entities-csv", "--no-neutralise-formulas");
  }
}
