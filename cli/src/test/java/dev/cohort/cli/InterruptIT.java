package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in the middle of a batch cancels it cleanly, and {@code batches resume} finishes it. */
class InterruptIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMPLETED = Pattern.compile("Progress: \\d+/\\d+  completed (\\d+)");

  @TempDir
  Path dir;

  @Test
  void sigintCancelsTheBatchWithExitCode130AndResumeFinishesIt() throws Exception {
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    CohortCli.Running run = cli.start("run", "--entities", "people.json", "--context", "A long debate",
        "--interaction-size", "2", "--num-simulations", "6", "--replicates", "5",
        "--simulated-latency", "150ms", "--concurrency", "2", "--progress", "lines", "--progress-interval", "50ms");
    run.awaitOutput(r -> someCompleted(r.err()), "a completed simulation");

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
    Samples.write(dir, "people.json", Samples.FOUR_ENTITIES);
    CohortCli cli = new CohortCli(dir);
    CohortCli.Running run = cli.start("run", "--entities", "people.json", "--context", "A long debate",
        "--interaction-size", "2", "--num-simulations", "6", "--replicates", "5", "--export", "debate.csv",
        "--simulated-latency", "150ms", "--concurrency", "2", "--progress", "lines", "--progress-interval", "50ms");
    run.awaitOutput(r -> someCompleted(r.err()), "a completed simulation");

    run.signal("INT");
    CohortCli.Result interrupted = run.await();

    assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(130);
    assertThat(dir.resolve("debate.csv")).doesNotExist();
    assertThat(interrupted.err()).contains("Not exported: " + dir.resolve("debate.csv") + " was not written, as the "
        + "batch was interrupted; once it is resumed and finished, export it with: cohort export "
        + interrupted.batchId() + " --format csv --output " + dir.resolve("debate.csv"));
  }

  private static boolean someCompleted(String err) {
    Matcher m = COMPLETED.matcher(err);
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) > 0) {
        return true;
      }
    }
    return false;
  }
}
