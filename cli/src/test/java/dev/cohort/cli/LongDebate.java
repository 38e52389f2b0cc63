package dev.cohort.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code cohort run} long enough to interrupt: 30 simulations of four sample entities, two at a
 * time, each call slowed by the simulated model, with progress lines on standard error. The tests
 * that stop a run midway ({@link InterruptIT}, {@link LeaseWaitIT}) start it here.
 */
final class LongDebate {
  private static final Pattern COMPLETED = Pattern.compile("Progress: \\d+/\\d+  completed (\\d+)");

  private LongDebate() {}

  /**
   * Starts the run in {@code cli}'s folder with the simulated model's {@code latency} and the
   * {@code extraFlags}, and returns once its progress shows a completed simulation.
   */
  static CohortCli.Running startAndAwaitACompletedSimulation(CohortCli cli, String latency, String... extraFlags) {
    Samples.write(cli.dir(), "people.json", Samples.FOUR_ENTITIES);
    List<String> args = new ArrayList<>(List.of("run", "--entities", "people.json", "--context", "A long debate",
        "--interaction-size", "2", "--num-simulations", "6", "--replicates", "5", "--simulated-latency", latency,
        "--concurrency", "2", "--progress", "lines", "--progress-interval", "50ms"));
    args.addAll(List.of(extraFlags));
    CohortCli.Running run = cli.start(args.toArray(String[]::new));
    run.awaitOutput(r -> someCompleted(r.err()), "a completed simulation");
    return run;
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
