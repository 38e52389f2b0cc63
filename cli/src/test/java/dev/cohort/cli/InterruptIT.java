package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in the middle of a batch cancels it cleanly, and {@code batches resume} finishes it. */
class InterruptIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void sigintCancelsTheBatchWithExitCode130AndResumeFinishesIt() throws Exception {
    CohortCli cli = new CohortCli(dir);
    CohortCli.Running run = LongDebate.startAndAwaitACompletedSimulation(cli, "150ms");

    run.signal("INT");
    CohortCli.Result interrupted = run.await();

    assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(130);
    assertThat(interrupted.err()).contains("Interrupted: batch " + interrupted.batchId() + " cancelled");
    assertThat(interrupted.out()).contains("Status: cancelled", "Resume with: cohort batches resume "
        + interrupted.batchId());
    JsonNode cancelled = JSON.readTree(cli.run("batches", "show", interrupted.batchId(), "--json").out());
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.get("counts").get("completed").asInt()).isPositive();
    assertThat(cancelled.get("counts").get("cancelled").asInt()).isPositive();
    assertThat(cancelled.get("counts").get("running").asInt()).isZero();

    CohortCli.Result resumed = cli.run("batches", "resume", interrupted.batchId(), "--progress", "none");

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.out()).contains("Status: completed", "Simulations: 30 of 30 completed");
    JsonNode finished = JSON.readTree(cli.run("batches", "show", interrupted.batchId(), "--json").out());
    assertThat(finished.get("counts").get("completed").asInt()).isEqualTo(30);
  }

  @Test
  void anInterruptedRunSaysItsExportWasNotWrittenAndHowToExportLater() {
    CohortCli cli = new CohortCli(dir);
    CohortCli.Running run = LongDebate.startAndAwaitACompletedSimulation(cli, "150ms", "--export", "debate.csv");

    run.signal("INT");
    CohortCli.Result interrupted = run.await();

    assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(130);
    assertThat(dir.resolve("debate.csv")).doesNotExist();
    assertThat(interrupted.err()).contains("Not exported: " + dir.resolve("debate.csv") + " was not written, as the "
        + "batch was interrupted; once it is resumed and finished, export it with: cohort export "
        + interrupted.batchId() + " --format csv --output " + dir.resolve("debate.csv"));
  }
}
