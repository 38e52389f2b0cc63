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
 * A subcommand that runs part of an existing batch here and follows the batch to its end, with
 * progress, a summary and an optional export: {@code batches resume}, {@code batches retry-failed},
 * {@code batches extend} and {@code outcomes extract}. The options and the following are the same for
 * all; a subclass only says what to set running and what to tell the user ({@link #start}), and may
 * check its own arguments before anything opens ({@link #validate}).
 */
abstract class ContinueBatchCommand implements Callable<Integer> {
  /**
   * The help order of a subclass's own options: picocli lists a superclass's options first and,
   * with {@code sortOptions = false}, by their order (-1 unless set), so this puts what the
   * command itself asks for right after the batch id.
   */
  static final int OWN_OPTIONS_FIRST = -2;

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
    Path workingDir = Path.of("").toAbsolutePath();
    validate(workingDir);
    ExportTarget target = export.target(workingDir);
    try (RunningSession run = RunningSession.open(store, models, this::configure)) {
      start(run, err);
      err.flush();
      return run.followToEnd(id, watch, target, out, err);
    }
  }

  /**
   * Checks the subclass's own arguments, with files resolved against {@code workingDir}, before the
   * store opens; nothing by default.
   *
   * @throws UsageException when an argument is wrong
   */
  void validate(Path workingDir) {
    // Nothing beyond the shared options.
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
