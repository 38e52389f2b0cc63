package dev.cohort.core.internal.execution;

import dev.cohort.core.internal.batchapi.BatchApiSettings;
import dev.cohort.core.internal.batchapi.BatchJobPorts;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.Ticker;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.PriceTable;
import java.time.Clock;
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
 * Runs batches in this process: one coordinator per active batch claims simulations from the work
 * queue as slots free up, under a limit on in-flight simulations shared by all batches (and, for a
 * model that has one, a limit of its own on the simulations planned for it), and a heartbeat renews
 * the leases of everything running here.
 *
 * <p>It works through the {@link WorkQueue} role, and reads and moves batch records through
 * {@link BatchStore} for three things only: reading the batch it starts (its request and entity
 * snapshot, which every simulation needs), reading the counts that say whether the batch is done,
 * and moving the batch's status (in progress, then terminal). No thread starts until the first
 * batch does: a runner that never runs anything costs nothing.
 */
public final class Runner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  final WorkQueue queue;
  final BatchStore batches;
  final OutcomeExtractor extractor;
  final SimulationEngine engine;
  /** What a batch's budget prices its reservations and spend with. */
  final PriceTable prices;
  final ProgressListener listener;
  final RunnerSettings settings;
  final BatchCancellation cancellation;
  final Clock clock;
  final Semaphore slots;
  /** The slots of the models with an in-flight limit of their own, within {@link #slots}. */
  final ModelSlots modelSlots;
  private final Ticker ticker;
  private final @Nullable Executor givenExecutor;
  private final Map<String, BatchRun> runs = new ConcurrentHashMap<>();
  private @Nullable Executor simulations;
  private @Nullable ExecutorService ownedSimulations;
  private @Nullable ScheduledExecutorService heartbeat;
  private volatile boolean closed;
  /** The models' batch-job capabilities, or null when none has one; with their settings. */
  final @Nullable BatchJobPorts batchJobs;
  final @Nullable BatchApiSettings batchApiSettings;

  /**
   * A runner that starts no thread until {@link #start} is first called.
   *
   * @param cancellation the cancel use case, which a cancelled run's coordinator records again
   * @param extractor extracts a simulation's declared outcomes once its dialogue is complete
   * @param executor runs each simulation; null for virtual threads on 21+, else a platform pool
   * @param clock stamps the simulations this runner reports finished
   * @param ticker measures how long {@link #close()} has waited
   */
  public Runner(WorkQueue queue, BatchStore batches, BatchCancellation cancellation, SimulationEngine engine,
      OutcomeExtractor extractor, ProgressListener listener, RunnerSettings settings, @Nullable Executor executor,
      Clock clock, Ticker ticker) {
    this(queue, batches, cancellation, engine, extractor, listener, settings, executor, clock, ticker,
        PriceTable.builtIn());
  }

  /** A runner whose batch budgets price calls with {@code prices}. */
  public Runner(WorkQueue queue, BatchStore batches, BatchCancellation cancellation, SimulationEngine engine,
      OutcomeExtractor extractor, ProgressListener listener, RunnerSettings settings, @Nullable Executor executor,
      Clock clock, Ticker ticker, PriceTable prices) {
    this(queue, batches, cancellation, engine, extractor, listener, settings, executor, clock, ticker, prices, null,
        null);
  }

  /**
   * A runner that also runs {@code batch_api} batches through {@code batchJobs}.
   *
   * @param batchJobs the batch-job capability of each model; null when none has one ({@code
   *     batch_api} batches then fail with why)
   * @param batchApiSettings how jobs are sized and polled; null with {@code batchJobs}
   */
  public Runner(WorkQueue queue, BatchStore batches, BatchCancellation cancellation, SimulationEngine engine,
      OutcomeExtractor extractor, ProgressListener listener, RunnerSettings settings, @Nullable Executor executor,
      Clock clock, Ticker ticker, PriceTable prices, @Nullable BatchJobPorts batchJobs,
      @Nullable BatchApiSettings batchApiSettings) {
    this.batchJobs = batchJobs == null || batchJobs.isEmpty() ? null : batchJobs;
    this.batchApiSettings = batchApiSettings;
    this.extractor = extractor;
    this.prices = prices;
    this.queue = queue;
    this.batches = batches;
    this.cancellation = cancellation;
    this.engine = engine;
    this.listener = new SafeListener(listener);
    this.settings = settings;
    this.slots = new Semaphore(settings.maxInFlight(), true);
    this.modelSlots = new ModelSlots(settings.modelMaxInFlight(), this::wakeAll);
    this.givenExecutor = executor;
    this.clock = clock;
    this.ticker = ticker;
  }

  /**
   * Starts running the batch here unless it already runs here. The first call starts the
   * heartbeat (and the simulation pool, unless an executor was given).
   *
   * @param resuming whether the batch may be restarted from a terminal status
   */
  public BatchRun start(String batchId, boolean resuming) {
    Executor executor = startThreads();
    return runs.compute(batchId, (id, existing) -> {
      if (existing != null && !existing.isDone()) {
        return existing;
      }
      BatchRun run = new BatchRun(this, id, resuming, executor);
      run.begin();
      return run;
    });
  }

  private synchronized Executor startThreads() {
    if (closed) {
      throw new IllegalStateException("this Cohort is closed");
    }
    if (simulations == null) {
      ownedSimulations = givenExecutor == null ? Threads.simulationExecutor(settings.maxInFlight()) : null;
      simulations = givenExecutor != null ? givenExecutor : ownedSimulations;
      ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(Threads.daemon("cohort-heartbeat"));
      long period = Math.max(1, settings.leaseDuration().toMillis() / 3);
      beat.scheduleAtFixedRate(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
      heartbeat = beat;
    }
    return simulations;
  }

  /** The batch's run in this process, if one is active. */
  public Optional<BatchRun> active(String batchId) {
    BatchRun run = runs.get(batchId);
    return run == null || run.isDone() ? Optional.empty() : Optional.of(run);
  }

  /**
   * Wakes every batch's coordinator: a model's slot was given back, and a coordinator whose last
   * claim left that model out (it may belong to another batch than the simulation that ended) can
   * claim again.
   */
  private void wakeAll() {
    for (BatchRun run : runs.values()) {
      run.wake();
    }
  }

  /** Forgets a run that has ended, so a long-lived process does not keep one per batch it ever ran. */
  void forget(String batchId, BatchRun run) {
    runs.remove(batchId, run);
  }

  /**
   * One heartbeat: renews the lease of every simulation running here and stops those whose lease
   * was lost. The heartbeat calls it every third of the lease duration.
   */
  void renewLeases() {
    try {
      for (BatchRun run : runs.values()) {
        run.renewCoordinatorLease();
        List<Lease> leases = run.leases();
        if (leases.isEmpty()) {
          continue;
        }
        Set<String> lost = queue.renew(leases, settings.leaseDuration());
        run.leasesLost(lost);
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
    synchronized (this) {
      closed = true;
    }
    List<BatchRun> active = new ArrayList<>(runs.values());
    for (BatchRun run : active) {
      run.stop(BatchRun.Stop.SHUTDOWN, null);
    }
    long deadline = ticker.nanos() + CLOSE_WAIT.toNanos();
    for (BatchRun run : active) {
      run.awaitDone(Duration.ofNanos(Math.max(0, deadline - ticker.nanos())));
    }
    synchronized (this) {
      if (heartbeat != null) {
        heartbeat.shutdownNow();
      }
      if (ownedSimulations != null) {
        ownedSimulations.shutdownNow();
      }
    }
  }
}
