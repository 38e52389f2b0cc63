package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.WorkQueue;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The cancel use case, in one place: stop the batch's run in this process if there is one, and
 * record the cancel in the store. {@code Cohort.cancel}, {@code Cohort.deleteBatch} and a run's
 * coordinator (which records the cancel again once its tasks have stopped) all come here.
 */
public final class BatchCancellation {
  private static final Set<BatchStatus> RUNNABLE = EnumSet.of(BatchStatus.PENDING, BatchStatus.IN_PROGRESS);
  /** How long a cancel waits for the batch's run here to stop. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);
  /** How often a cancel looks whether another process's coordinator has stopped. */
  private static final Duration COORDINATOR_LOOK = Duration.ofMillis(100);

  private final BatchStore batches;
  private final WorkQueue queue;
  private final Function<String, Optional<BatchRun>> activeRuns;

  /**
   * @param activeRuns the run of a batch in this process, if one is active
   */
  public BatchCancellation(BatchStore batches, WorkQueue queue, Function<String, Optional<BatchRun>> activeRuns) {
    this.batches = batches;
    this.queue = queue;
    this.activeRuns = activeRuns;
  }

  /**
   * Cancels the batch: its run here stops claiming and interrupts its simulations (which are not
   * given back), the store marks the batch and its unfinished simulations cancelled, and this
   * waits (up to a minute) until the run here has stopped. A run of provider jobs stops first: it
   * cancels its jobs and stores what they finished while it still holds the simulations; so does
   * a coordinator in another process, which sees the batch cancelled in the store (this waits up
   * to a minute for it to release the batch's coordinator lease).
   *
   * @return how many simulations were cancelled
   */
  public long cancel(String batchId) {
    Optional<BatchRun> run = activeRuns.apply(batchId);
    run.ifPresent(r -> r.stop(BatchRun.Stop.CANCEL, null));
    if (run.isPresent() && run.get().runsProviderJobs()) {
      run.get().awaitDone(STOP_WAIT);
    }
    awaitCoordinatorElsewhere(batchId);
    long cancelled = markCancelled(batchId);
    run.ifPresent(r -> r.awaitDone(STOP_WAIT));
    return cancelled;
  }

  /**
   * When another process coordinates the batch's provider jobs (it holds the coordinator lease),
   * marks the batch cancelled and waits (up to a minute) until that coordinator has seen it,
   * cancelled its jobs at the provider, stored what they finished and released the lease: the
   * simulations are marked cancelled only then, since that takes their leases away. A coordinator
   * that does not stop in time (or dies) has its simulations cancelled anyway, as before.
   */
  private void awaitCoordinatorElsewhere(String batchId) {
    if (queue.findCoordinator(batchId).isEmpty()) {
      return;
    }
    batches.transitionBatch(batchId, RUNNABLE, BatchStatus.CANCELLED, null);
    if (batches.findBatch(batchId).map(b -> b.status() != BatchStatus.CANCELLED).orElse(true)) {
      return;
    }
    // Counted looks rather than a clock: the wait is bounded by about STOP_WAIT plus the looks' reads.
    long looks = STOP_WAIT.toMillis() / COORDINATOR_LOOK.toMillis();
    try {
      for (long i = 0; i < looks && queue.findCoordinator(batchId).isPresent(); i++) {
        Sleeper.SYSTEM.sleep(COORDINATOR_LOOK);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Cancels the batch if it runs in this process, so that it can be deleted without its tasks
   * still writing; does nothing otherwise.
   */
  public void cancelIfRunningHere(String batchId) {
    if (activeRuns.apply(batchId).isPresent()) {
      cancel(batchId);
    }
  }

  /**
   * Records a cancel in the store: the batch cancelled (also when it already was, since a resume
   * racing an earlier cancel may have made its simulations pending again) and its unfinished
   * simulations with it. A batch with nothing left to cancel, whose simulations had all finished
   * before its run recorded the end, ends as they say instead: cancelling a finished batch changes
   * nothing. A finished batch is left alone.
   *
   * @return how many simulations were cancelled
   */
  long markCancelled(String batchId) {
    boolean moved = batches.transitionBatch(batchId, RUNNABLE, BatchStatus.CANCELLED, null);
    if (!moved && batches.findBatch(batchId).map(b -> b.status() != BatchStatus.CANCELLED).orElse(true)) {
      return 0;
    }
    long cancelled = queue.cancelUnfinished(batchId);
    if (cancelled == 0) {
      batches.findBatch(batchId).ifPresent(b -> {
        BatchStatus status = BatchStatus.aggregate(b.counts());
        if (status.isTerminal() && status != BatchStatus.CANCELLED) {
          batches.transitionBatch(batchId, EnumSet.of(BatchStatus.CANCELLED), status, null);
        }
      });
    }
    return cancelled;
  }
}
