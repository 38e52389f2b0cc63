package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.export.ExportOptions;
import dev.cohort.core.internal.codec.ProviderJobsJson;
import dev.cohort.core.port.ProviderJob;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Follows a batch this process runs until it finishes or the user interrupts, with live progress on
 * standard error, then prints the summary (and writes the export, if one was asked for). On
 * interruption it cancels the batch, which leaves every unfinished simulation {@code cancelled} and
 * the batch resumable, and says how to export it later instead of writing a partial export.
 */
final class BatchWatcher {
  /** How often the progress view is refreshed. */
  static final Duration TICK = Duration.ofMillis(250);

  private final Cohort cohort;
  private final WatchOptions watch;
  private final StoreOptions store;
  private final Interruption interruption;
  private final PrintWriter out;
  private final PrintWriter err;

  BatchWatcher(Cohort cohort, WatchOptions watch, StoreOptions store, Interruption interruption, PrintWriter out,
      PrintWriter err) {
    this.cohort = cohort;
    this.watch = watch;
    this.store = store;
    this.interruption = interruption;
    this.out = out;
    this.err = err;
  }

  /** The provider jobs a {@code batch_api} batch waits on now; none for a direct batch (no read). */
  private List<ProviderJob> currentJobs(Batch batch) {
    return batch.request().execution() == Execution.BATCH_API
        ? ProviderJobsJson.current(cohort.providerJobs(batch.id())) : List.of();
  }

  /**
   * Follows the batch to its end, prints the summary, exports it to {@code export} unless
   * interrupted, and returns the exit code: 0 completed, 1 otherwise, 130 interrupted.
   */
  int followToEnd(String batchId, @Nullable ExportTarget export) {
    long start = System.nanoTime();
    ProgressView view = ProgressView.create(watch.progress, err, watch.interval);
    Batch batch;
    boolean interrupted = false;
    try {
      while (true) {
        if (interruption.requested()) {
          interrupted = true;
          batch = cohort.cancel(batchId);
          view.update(batch, currentJobs(batch));
          break;
        }
        batch = cohort.await(batchId, TICK);
        view.update(batch, currentJobs(batch));
        if (batch.status().isTerminal()) {
          break;
        }
      }
    } finally {
      view.finish();
    }
    if (interrupted) {
      err.println("Interrupted: batch " + batchId + " cancelled; " + batch.counts().cancelled()
          + " unfinished simulations can be resumed.");
      err.flush();
    }
    BatchText.summary(out, batch, Duration.ofNanos(System.nanoTime() - start), store.hintFlag(),
        batch.counts().failed() > 0 ? firstFailure(batchId) : null);
    if (interrupted) {
      if (export != null && export.file() != null) {
        err.println("Not exported: " + export.file() + " was not written, as the batch was interrupted; once it is "
            + "resumed and finished, export it with: cohort export " + batchId + " --format "
            + export.format().wireName().replace('_', '-') + " --output " + export.file() + store.hintFlag());
        err.flush();
      }
      return ExitCode.INTERRUPTED;
    }
    if (export != null) {
      ExportWriter.write(cohort, batchId, export, ExportOptions.defaults(), out);
      out.println("Exported " + ExportFormatConverter.flagValue(export.format()) + " to " + export.file());
      out.flush();
    }
    return ExitCode.of(batch.status());
  }

  private @Nullable Simulation firstFailure(String batchId) {
    AtomicReference<@Nullable Simulation> first = new AtomicReference<>();
    cohort.forEachSimulation(batchId, s -> {
      if (s.status() == SimulationStatus.FAILED && s.error() != null && first.get() == null) {
        first.set(s);
      }
    });
    return first.get();
  }
}
