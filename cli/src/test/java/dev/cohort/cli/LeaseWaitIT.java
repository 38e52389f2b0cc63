package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a crash, {@code batches resume} says whose leases it waits for instead of sitting silent. */
class LeaseWaitIT {
  private static final Pattern WAITING = Pattern.compile(
      "Waiting for (\\d+) simulations? leased by (worker-\\S+-\\d+) until (\\d{4}-\\d\\d-\\d\\dT\\S+Z)");

  @TempDir
  Path dir;

  @Test
  void resumeAfterACrashSaysWhoseLeasesItWaitsForAndUntilWhenThenFinishes() throws Exception {
    CohortCli cli = new CohortCli(dir);
    CohortCli.Running run = LongDebate.startAndAwaitACompletedSimulation(cli, "200ms", "--lease-duration", "30s");
    run.process().destroyForcibly();
    assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    String batchId = new CohortCli.Result(0, run.out(), run.err()).batchId();

    // The killed run's leases (30 s) must still hold when the resuming JVM has started, which takes
    // seconds on a loaded machine: with 4 s they had once expired and there was nothing to wait for.
    CohortCli.Result resumed = cli.run("batches", "resume", batchId, "--progress", "none", "--lease-duration", "2s");

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    Matcher waiting = WAITING.matcher(resumed.err());
    assertThat(waiting.find()).as(resumed.toString()).isTrue();
    assertThat(Integer.parseInt(waiting.group(1))).isBetween(1, 2);
    assertThat(waiting.group(2)).isNotEqualTo("worker-localhost-" + ProcessHandle.current().pid());
    assertThat(resumed.out()).contains("Status: completed", "Simulations: 30 of 30 completed");
  }

  @Test
  void leaseDurationIsTakenByEveryCommandThatRunsSimulationsAndChecked() {
    CohortCli cli = new CohortCli(dir);
    for (String[] command : new String[][] {{"run", "--entities", "a,b", "--context", "x", "--interaction-size", "2",
        "--num-simulations", "1"}, {"batches", "resume", "some-id"}, {"worker"}, {"serve"}}) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
          java.util.stream.Stream.of("--lease-duration", "10ms")).toArray(String[]::new);

      CohortCli.Result result = cli.run(args);

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
      assertThat(result.err()).as(result.toString()).contains("--lease-duration: must be at least 1s, was 10ms");
    }
  }
}
