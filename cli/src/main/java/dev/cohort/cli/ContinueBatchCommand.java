package dev.cohort.cli;

import dev.cohort.core.Cohort;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A {@code batches} subcommand that runs part of an existing batch here and follows the batch to its
 * end, with progress, a summary and an optional export: {@code resume} and {@code retry-failed}. The
 * options and the following are the same for both; a subclass only says which simulations to run
 * again and what to tell the user ({@link #start}).
 */
abstract class ContinueBatchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
  String id = "";

  @Mixin
  ExportOnEnd export = new ExportOnEnd();

  @Mixin
  ModelOptions models = new ModelOptions();

  @Mixin
  WatchOptions watch = new WatchOptions();

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    models.validate();
    ExportTarget target = export.target(Path.of("").toAbsolutePath());
    try (RunningSession run = RunningSession.open(store, models, this::configure)) {
      start(run, err);
      err.flush();
      return run.followToEnd(id, watch, target, out, err);
    }
  }

  /**
   * Sets the batch {@link #id} running again in {@code run} and says on {@code err} what runs (after
   * the model notice).
   */
  abstract void start(RunningSession run, PrintWriter err);

  /** Settings of the running cohort beyond the model options; none by default. */
  void configure(Cohort.Builder builder) {
    // Nothing beyond what ModelOptions sets.
  }
}
