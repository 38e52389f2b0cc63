package dev.cohort.cli;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.port.ProgressListener;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lines {@code worker} and {@code serve} print on standard error about the batches they run:
 * {@code Working on batch ID} when this process starts (or resumes) one, {@code Batch ID ended
 * STATUS: N completed, M failed.} when it ends. One class, so both commands say the same.
 */
final class BatchEventLog implements ProgressListener {
  private final PrintWriter err;
  /** Batches announced and not yet ended: a batch is announced once however often it is picked up. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  BatchEventLog(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void batchStarted(Batch batch) {
    if (running.add(batch.id())) {
      print("Working on batch " + batch.id() + " (" + batch.name() + ", " + batch.counts().unfinished()
          + " of " + batch.counts().total() + " simulations to run)");
    }
  }

  @Override
  public void batchFinished(Batch batch) {
    running.remove(batch.id());
    print("Batch " + batch.id() + " ended " + batch.status().wireName() + ": "
        + batch.counts().completed() + " completed, " + batch.counts().failed() + " failed.");
  }

  private void print(String line) {
    // Called from worker threads; one line must not interleave with another.
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
