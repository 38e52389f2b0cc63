package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testkit.architecture.ModulePathLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command runs on the module path ({@code java --module-path … -m
 * dev.cohort.cli/dev.cohort.cli.CohortCommand}): picocli reaches the commands through the package
 * the module opens to it, and every adapter module it wires together (SQLite store with its
 * migrations, offline model, exporters) works across the module boundaries.
 */
class ModulePathSmokeTest {
  private static final String CLI = "dev.cohort.cli";
  private static final String MAIN = "dev.cohort.cli.CohortCommand";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern BATCH_ID = Pattern.compile("Batch simulation ID: (\\S+)");

  @TempDir
  Path dir;

  @Test
  void runsAndExportsABatchOnTheModulePath() {
    Path entities = Samples.write(dir, "entities.json", Samples.FOUR_ENTITIES);
    String db = "--db=jdbc:sqlite:" + dir.resolve("cohort.db");

    ModulePathLauncher.Result run = ModulePathLauncher.launch(dir, TIMEOUT, CLI, MAIN, "run", db,
        "--entities", entities.toString(), "--context", "A panel discussion", "--interaction-size", "2",
        "--num-simulations", "3", "--n-turns", "2", "--name", "Module path");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("Simulations: 3 of 3 completed");
    Matcher id = BATCH_ID.matcher(run.output());
    assertThat(id.find()).as(run.output()).isTrue();

    Path csv = dir.resolve("out.csv");
    ModulePathLauncher.Result export = ModulePathLauncher.launch(dir, TIMEOUT, CLI, MAIN, "export", id.group(1), db,
        "--format", "csv", "--output", csv.toString());

    assertThat(export.exitCode()).as(export.output()).isZero();
    assertThat(csv).content().startsWith("Simulation ID,Sequence Number,Interaction Type,Entity IDs");
  }
}
