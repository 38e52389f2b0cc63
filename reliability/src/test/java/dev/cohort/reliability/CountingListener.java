package dev.cohort.reliability;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.ProgressListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts progress events: how often each simulation was reported finished, and batch ends. */
final class CountingListener implements ProgressListener {
  private final Map<String, AtomicInteger> finishedReports = new ConcurrentHashMap<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong batchesFinished = new AtomicLong();

  @Override
  public void simulationCompleted(Simulation simulation) {
    completed.incrementAndGet();
    finishedReports.computeIfAbsent(simulation.id(), k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void simulationFailed(Simulation simulation) {
    failed.incrementAndGet();
    finishedReports.computeIfAbsent(simulation.id(), k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void batchFinished(Batch batch) {
    batchesFinished.incrementAndGet();
  }

  long completed() {
    return completed.get();
  }

  long failed() {
    return failed.get();
  }

  long batchesFinished() {
    return batchesFinished.get();
  }

  /** Simulations reported finished more than once. */
  long reportedTwice() {
    return finishedReports.values().stream().filter(n -> n.get() > 1).count();
  }
}
