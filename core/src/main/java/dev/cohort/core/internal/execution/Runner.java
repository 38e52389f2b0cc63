package dev.cohort.core.internal.execution;

import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RepositoryPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batches in this process: one coordinator per active batch claims simulations from the
 * repository as slots free up, under a limit on in-flight simulations shared by all batches, and a
 * heartbeat renews the leases of everything running here.
 */
public final class Runner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  final RepositoryPort repository;
  final SimulationEngine engine;
  final ProgressListener listener;
  final RunnerSettings settings;
  final Executor simulations;
  final Semaphore slots;
  private final @Nullable ExecutorService ownedSimulations;
  private final ScheduledExecutorService heartbeat;
  private final Map<String, BatchRun> runs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param executor runs each simulation; null for virtual threads on 21+, else a platform pool
   */
  public Runner(RepositoryPort repository, SimulationEngine engine, ProgressListener listener,
      RunnerSettings settings, @Nullable Executor executor) {
    this.repository = repository;
    this.engine = engine;
    this.listener = new SafeListener(listener);
    this.settings = settings;
    this.slots = new Semaphore(settings.maxInFlight(), true);
    this.ownedSimulations = executor == null ? Threads.simulationExecutor(settings.maxInFlight()) : null;
    this.simulations = executor != null ? executor : ownedSimulations;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cohort-heartbeat"));
    long period = Math.max(1, settings.leaseDuration().toMillis() / 3);
    heartbeat.scheduleAtFixedRate(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
  }

  /** Whether this JVM runs simulations on virtual threads when no executor is given. */
  public static boolean usesVirtualThreads() {
    return Threads.virtualThreadsAvailable();
  }

  /**
   * Starts running the batch here unless it already runs here.
   *
   * @param resuming whether the batch may be restarted from a terminal status
   */
  public BatchRun start(String batchId, boolean resuming) {
    if (closed) {
      throw new IllegalStateException("this Cohort is closed");
    }
    return runs.compute(batchId, (id, existing) -> {
      if (existing != null && !existing.isDone()) {
        return existing;
      }
      BatchRun run = new BatchRun(this, id, resuming);
      run.begin();
      return run;
    });
  }

  /** The batch's run in this process, if one is active. */
  public Optional<BatchRun> active(String batchId) {
    BatchRun run = runs.get(batchId);
    return run == null || run.isDone() ? Optional.empty() : Optional.of(run);
  }

  /** Forgets a run that has ended, so a long-lived process does not keep one per batch it ever ran. */
  void forget(String batchId, BatchRun run) {
    runs.remove(batchId, run);
  }

  private void renewLeases() {
    try {
      for (BatchRun run : runs.values()) {
        List<Lease> leases = run.leases();
        if (leases.isEmpty()) {
          continue;
        }
        Set<String> lost = repository.renew(leases, settings.leaseDuration());
        for (String simulationId : lost) {
          run.leaseLost(simulationId);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not renew leases; will try again", e);
    }
  }

  /**
   * Stops every batch running here without cancelling it: running simulations are given back so
   * another process (or a later resume) continues them. Waits up to 30 s for them to stop.
   */
  @Override
  public void close() {
    closed = true;
    List<BatchRun> active = new ArrayList<>(runs.values());
    for (BatchRun run : active) {
      run.stop(BatchRun.Stop.SHUTDOWN, null);
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (BatchRun run : active) {
      run.awaitDone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    heartbeat.shutdownNow();
    if (ownedSimulations != null) {
      ownedSimulations.shutdownNow();
    }
  }
}
