package dev.cohort.cli;

import dev.cohort.core.Cohort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cohort worker}: joins the other workers of a shared database and runs whatever is unfinished
 * (batches created with {@code run --detach}, through the REST API, or left by a crashed process),
 * looking for new work every poll interval, until Ctrl-C or SIGTERM. Simulations are claimed under
 * leases, so any number of workers on any number of machines share the work without running a
 * simulation twice; on stop, what this worker held goes back to the others.
 */
@Command(name = "worker", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Join the workers of a shared database and run unfinished batches, until stopped.",
        "",
        "Looks for unfinished batches every poll interval (those of 'run --detach', the REST API or a crashed "
            + "process) and runs their simulations beside the other workers; each simulation runs once. Use "
            + "PostgreSQL to share work between machines. Ctrl-C or SIGTERM stops it cleanly.",
        "",
        "Example: cohort worker --db 'jdbc:postgresql://db.example.org/cohort?user=cohort&password=...'"})
final class WorkerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "How often to look for new batches (default: ${DEFAULT-VALUE}).")
  Duration pollInterval = Duration.ofSeconds(2);

  @Option(names = "--worker-id", paramLabel = "NAME",
      description = "This worker's name in leases (default: worker-HOST-PID).")
  @Nullable String workerId;

  @Mixin
  ModelOptions models = new ModelOptions();

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    models.validate();
    if (pollInterval.isZero()) {
      throw new UsageException("--poll-interval", "must be longer than zero");
    }
    if (workerId != null && workerId.isBlank()) {
      throw new UsageException("--worker-id", "must not be blank");
    }
    String id = workerId != null ? workerId.strip() : WorkerName.current();
    BatchEventLog reporter = new BatchEventLog(err);
    try (RunningSession session = RunningSession.open(store, models,
        builder -> builder.workerId(id).progressListener(reporter))) {
      Cohort cohort = session.cohort();
      err.println(session.modelNotice());
      err.println("Worker " + id + " joined " + store.safeUrl() + "; running unfinished batches until Ctrl-C.");
      err.flush();
      do {
        // Each batch taken up and each that ends is logged by the reporter, as serve logs them.
        cohort.resumeUnfinished();
      } while (!session.awaitStop(pollInterval));
      err.println("Stopping: simulations this worker held go back to the others.");
      err.flush();
    }
    return ExitCode.OK;
  }
}
