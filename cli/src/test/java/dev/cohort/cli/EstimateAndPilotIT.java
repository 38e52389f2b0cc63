package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort run --estimate} and {@code cohort run --pilot N [--yes]}, as a user runs them. */
class EstimateAndPilotIT {
  @TempDir
  Path dir;

  private CohortCli.Result run(CohortCli cli, String... extra) {
    String[] base = {"run", "--entities", "people.json", "--context", "A town hall meeting about a new tram line",
        "--interaction-size", "2", "--num-simulations", "6", "--n-turns", "2", "--simulation-rounds", "2"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return cli.run(args);
  }

  @Test
  void estimatePrintsTheRangesAndAssumptionsAndCreatesNoBatch() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = run(cli, "--estimate");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Estimate (no batch created, no model called", "Calls", "Prompt tokens",
        "Completion tokens", "Cost (USD)", "Assumptions:", "Coverage of the plan: 6 simulations",
        "Appearances per entity: min 3, max 3")
        .doesNotContain("Batch simulation ID");
    assertThat(cli.run("batches", "list").out()).doesNotContain("town hall");
  }

  @Test
  void aPilotWithoutATerminalOrYesStopsAndSaysHowToRunTheRest() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = run(cli, "--pilot", "2");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Batch simulation ID: ", "Pilot: 2 simulations finished (2 completed, 0 failed)",
        "Estimate for the remaining 4 simulations, calibrated from the pilot:", "Calibrated from 2 pilot simulations");
    assertThat(result.err()).contains("Stopped after the pilot", "cohort batches resume ");
    String id = result.out().replaceAll("(?s).*Batch simulation ID: ([0-9a-f-]{36}).*", "$1");
    CohortCli.Result resumed = cli.run("batches", "resume", id);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(cli.run("batches", "show", id).out()).contains("completed");
  }

  @Test
  void aPilotWithYesRunsTheWholeBatch() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);

    CohortCli.Result result = run(cli, "--pilot", "2", "--yes");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Pilot: 2 simulations finished", "Status: completed",
        "Simulations: 6 of 6 completed");
  }

  @Test
  void yesWithoutAPilotIsAUsageError() {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);

    CohortCli.Result result = run(new CohortCli(dir), "--yes");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--yes");
  }
}
