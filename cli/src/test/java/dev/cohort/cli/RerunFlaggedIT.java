package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --rerun-flagged FLAGS}, through the real jar. */
class RerunFlaggedIT {
  @TempDir
  Path dir;

  @Test
  void theFlagsAreStoredWithTheBatchAndShownInItsJson() throws IOException {
    CohortCli cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);

    CohortCli.Result run = cli.run("run", "--entities", "people.json", "--context", "A panel on climate change",
        "--interaction-size", "2", "--num-simulations", "2", "--rerun-flagged", "repetition,Refusal");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    CohortCli.Result export = cli.run("export", run.batchId(), "--format", "json", "--output", "batch.json");
    assertThat(export.exitCode()).as(export.toString()).isZero();

    JsonNode batch = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
    assertThat(batch.get("rerun_flagged").toString()).isEqualTo("[\"refusal\",\"repetition\"]");
    assertThat(batch.get("counts").get("completed").asInt()).isEqualTo(2);
  }

  @Test
  void anUnknownFlagIsAUsageErrorNamingTheOption() throws IOException {
    CohortCli cli = new CohortCli(dir);
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);

    CohortCli.Result run = cli.run("run", "--entities", "people.json", "--context", "c", "--interaction-size", "2",
        "--num-simulations", "1", "--rerun-flagged", "refusal,rudeness");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("--rerun-flagged: names no quality flag: rudeness");
  }
}
