package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.internal.batchapi.BatchApiSettings;
import dev.cohort.core.internal.batchapi.BatchJobPorts;
import dev.cohort.core.internal.batchapi.CoordinatorLease;
import dev.cohort.core.internal.batchapi.RoundJobCoordinator;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.BudgetReachedException;
import dev.cohort.core.internal.simulation.CallBudget;
import dev.cohort.core.internal.simulation.LeaseLostException;
import dev.cohort.core.internal.quality.SimulationFlagger;
import dev.cohort.core.internal.quality.SimulationQuality;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.LeaseLost;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.internal.call.ModelFatalLlmException;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.CostSum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch running in this process: a coordinator thread that claims simulations as slots free
 * up and hands each to the simulation executor, until nothing is left to claim, the batch is
 * cancelled, a batch-fatal error stops it, or the runner closes.
 */
public final class BatchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
  /**
   * The most free slots one claim fills. Large, because on SQLite a claim waits for a group commit
   * behind the rounds' writes: with 64 the coordinator refilled 500 slots no faster than
   * simulations ended, and about 190 were in flight (BENCHMARKS.md, "The store out of the way").
   */
  private static final int MAX_CLAIM_PAGE = 512;
  /** How long the coordinator waits for a free slot before it looks at its stop flag again. */
  private static final long SLOT_WAIT_MILLIS = 50;
  private static final Set<BatchStatus> RUNNABLE = EnumSet.of(BatchStatus.PENDING, BatchStatus.IN_PROGRESS);
  private static final Set<BatchStatus> TERMINAL = EnumSet.complementOf(EnumSet.of(BatchStatus.PENDING,
      BatchStatus.IN_PROGRESS));
  /** Claims of a simulation after which a store failure fails it instead of running it again. */
  static final int MAX_ATTEMPTS_AFTER_STORE_FAILURE = 5;

  /** Why a run stops before its batch is finished. */
  enum Stop {
    /** The user cancelled the batch: unfinished simulations are marked cancelled by the caller. */
    CANCEL,
    /** The process is closing: running simulations are given back for a later resume. */
    SHUTDOWN,
    /** A batch-fatal model error: running simulations are given back, the batch fails. */
    FATAL,
    /**
     * The budget was reached: no new call starts, calls in flight finish and are stored, then the
     * unfinished simulations are cancelled (resumable) and the batch ends cancelled with why.
     */
    BUDGET
  }

  private final Runner runner;
  private final WorkQueue queue;
  private final BatchStore batches;
  private final Executor executor;
  private final String batchId;
  private final boolean resuming;
  private final Map<String, Task> inFlight = new ConcurrentHashMap<>();
  /** Simulations claimed ahead of a free slot; their leases are renewed with the running ones'. */
  private final ClaimBuffer buffer;
  /** Plays completed simulations with a flag the batch's {@code rerun_flagged} names again. */
  private final FlaggedRerun reruns;
  private final CountDownLatch done = new CountDownLatch(1);
  /** The duplicate-transcript signatures of the simulations this run completed, for the end-of-batch pass. */
  private final CompletionSignatures signatures = new CompletionSignatures();
  /** How many of this run's tasks ended in each way, for tests and diagnostics. */
  private final Map<TaskState, Integer> endings = new EnumMap<>(TaskState.class);
  private final Object signal = new Object();
  /** How many times {@link #signal} was notified (guarded by it), to tell a signal from a timeout. */
  private long signals;
  private volatile @Nullable Stop stop;
  /** Whether the coordinator is in a claim: a task that ends meanwhile hands its slot on itself. */
  private volatile boolean claiming;
  private volatile @Nullable String fatalError;
  /**
   * The named models a batch-fatal error (bad key, no access, no quota) made unusable in this run,
   * with the error: their simulations fail at once, the other models' run on.
   */
  private final Map<String, String> failedModels = new ConcurrentHashMap<>();
  /** Whether this run has moved the batch to in progress (only its coordinator thread reads it). */
  private boolean markedInProgress;
  /** The coordinator of a {@code batch_api} batch, once it runs; its leases are renewed with the others. */
  private volatile @Nullable RoundJobCoordinator providerJobs;
  /** The {@code batch_api} batch's coordinator lease, once this run asks for it; renewed by the heartbeat. */
  private volatile @Nullable CoordinatorLease coordinatorLease;

  BatchRun(Runner runner, String batchId, boolean resuming, Executor executor) {
    this.runner = runner;
    this.queue = runner.queue;
    this.batches = runner.batches;
    this.executor = executor;
    this.batchId = batchId;
    this.resuming = resuming;
    this.reruns = new FlaggedRerun(runner.engine, queue, runner.clock, BatchRun::stored);
    this.buffer = new ClaimBuffer(ClaimBuffer.boundFor(runner.settings.maxInFlight(),
        !runner.settings.modelMaxInFlight().isEmpty()));
  }

  void begin() {
    Threads.daemon("cohort-batch-" + batchId).newThread(this::coordinate).start();
  }

  /**
   * Whether this run sends the batch's rounds as provider jobs: a cancel then lets it stop first,
   * since it stores what the cancelled jobs finished under the leases the cancel takes away.
   */
  boolean runsProviderJobs() {
    return providerJobs != null;
  }

  /** Whether this run has ended and every simulation it started has stopped. */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  /** Waits until this run is done; returns whether it is. */
  public boolean awaitDone(Duration timeout) {
    try {
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return isDone();
    }
  }

  void stop(Stop reason, @Nullable String error) {
    boolean first = false;
    synchronized (signal) {
      if (stop == null) {
        stop = reason;
        fatalError = error;
        first = true;
      }
      signals++;
      signal.notifyAll();
    }
    if (first && reason == Stop.FATAL) {
      // Here, not where a task meets the error: every call in flight may meet the same one, and
      // the batch stops once.
      LOG.error("batch {} stopped: {}", batchId, error);
    }
    if (reason == Stop.BUDGET) {
      // Calls in flight finish and are stored; each task stops at its next reservation.
      return;
    }
    for (Task task : inFlight.values()) {
      task.interrupt();
    }
  }

  /** How many of this run's tasks have ended in each way so far. */
  Map<TaskState, Integer> endings() {
    synchronized (endings) {
      return new EnumMap<>(endings);
    }
  }

  List<Lease> leases() {
    List<Lease> leases = new ArrayList<>(inFlight.size());
    RoundJobCoordinator coordinator = providerJobs;
    if (coordinator != null) {
      leases.addAll(coordinator.leases());
    }
    for (Task task : inFlight.values()) {
      leases.add(task.claimed.lease());
    }
    leases.addAll(buffer.leases());
    return leases;
  }

  /** Renews the coordinator lease of a {@code batch_api} batch if this run holds it (the heartbeat's call). */
  void renewCoordinatorLease() {
    CoordinatorLease lease = coordinatorLease;
    if (lease == null) {
      return;
    }
    try {
      lease.renew();
    } catch (RuntimeException e) {
      // Kept: the lease lasts until it expires, and the next heartbeat tries again.
      LOG.warn("could not renew the coordinator lease of batch {}; will try again", batchId, e);
    }
  }

  /**
   * Stops what this run holds under the leases a renewal found lost. The buffered ones go first:
   * stopping a running task frees its slot, which the coordinator would otherwise hand a buffered
   * simulation whose lease is lost too.
   */
  void leasesLost(Set<String> simulationIds) {
    for (String simulationId : simulationIds) {
      if (buffer.remove(simulationId)) {
        LOG.info("lease on simulation {} was lost before it started; dropping it here", simulationId);
      }
    }
    for (String simulationId : simulationIds) {
      leaseLost(simulationId);
    }
  }

  private void leaseLost(String simulationId) {
    Task task = inFlight.get(simulationId);
    if (task != null) {
      LOG.info("lease on simulation {} was lost; stopping it here", simulationId);
      task.interrupt();
    }
  }

  private void coordinate() {
    try {
      Optional<Batch> started = start();
      if (started.isEmpty()) {
        return;
      }
      Context context = new Context(started.get());
      runner.listener.batchStarted(started.get());
      if (started.get().request().execution() == Execution.BATCH_API) {
        runProviderJobs(started.get());
      } else {
        claimUntilDone(context);
      }
    } catch (InterruptedException e) {
      LOG.debug("coordinator of batch {} interrupted", batchId);
    } catch (RuntimeException e) {
      LOG.error("batch {} stopped by an unexpected error; it can be resumed", batchId, e);
      stop(Stop.SHUTDOWN, null);
    } finally {
      giveBackBuffered();
      waitForTasks();
      try {
        if (stop == Stop.FATAL) {
          batches.transitionBatch(batchId, RUNNABLE, BatchStatus.FAILED, fatalError);
          batches.findBatch(batchId).ifPresent(runner.listener::batchFinished);
        } else if (stop == Stop.BUDGET) {
          awaitOtherWorkersCalls();
          queue.cancelUnfinished(batchId);
          batches.transitionBatch(batchId, RUNNABLE, BatchStatus.CANCELLED, budgetError());
          batches.findBatch(batchId).ifPresent(runner.listener::batchFinished);
        } else if (stop == Stop.CANCEL && !coordinatedElsewhere()) {
          // This run may have marked the batch in progress after the cancel had marked it
          // cancelled: cancel it again, or it would stay in progress with nobody working on it.
          runner.cancellation.markCancelled(batchId);
        }
      } catch (RuntimeException e) {
        LOG.error("could not store the end of batch {}", batchId, e);
      } finally {
        runner.forget(batchId, this);
        done.countDown();
      }
    }
  }

  /**
   * Waits, at most one lease duration, until no worker holds a simulation of the batch: other
   * workers meet the same budget at their next reservation and give theirs back, and cancelling
   * first would take their calls in flight from them unstored.
   */
  private void awaitOtherWorkersCalls() {
    long poll = Math.max(1, runner.settings.pollInterval().toMillis());
    // Counted in polls rather than read from a clock: a lease duration's worth of them at most.
    long polls = runner.settings.leaseDuration().toMillis() / poll + 1;
    try {
      for (long i = 0; i < polls && !queue.findLiveLeases(batchId).isEmpty(); i++) {
        TimeUnit.MILLISECONDS.sleep(poll);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why a batch stopped at its budget, what it spent, and how to go on. */
  private String budgetError() {
    BatchSpend spent = queue.spentOn(batchId);
    Batch batch = batches.findBatch(batchId).orElse(null);
    @Nullable Double maxCost = batch == null ? null : batch.request().maxCostUsd();
    @Nullable Long maxTokens = batch == null ? null : batch.request().maxTotalTokens();
    StringBuilder why = new StringBuilder("budget reached: spent ")
        .append(String.format(java.util.Locale.ROOT, "$%.4f", spent.costUsd()));
    if (maxCost != null) {
      why.append(String.format(java.util.Locale.ROOT, " of max_cost_usd $%.2f", maxCost));
    }
    why.append(" and ").append(spent.tokens()).append(" tokens");
    if (maxTokens != null) {
      why.append(" of max_total_tokens ").append(maxTokens);
    }
    String reason = fatalError;
    if (reason != null && !reason.equals("the budget was reached")) {
      why.append(" (").append(reason).append(')');
    }
    why.append("; calls in flight finished and were stored, unfinished simulations are cancelled. Go on with a")
        .append(" higher budget: cohort batches resume ").append(batchId).append(" --max-cost N (REST: POST")
        .append(" /api/batch-simulations/").append(batchId).append("/resume with {\"max_cost_usd\": N};")
        .append(" Java: cohort.resume(id, Budget.ofUsd(N)))");
    return why.toString();
  }

  /**
   * Reads the batch this run works on, trying again while the store fails. A resumed batch that
   * had finished or was cancelled is moved back to in progress first (it was started before); a
   * pending one stays pending until the first claim ({@link #markInProgress}). Empty when the batch
   * may not run (cancelled, finished or deleted meanwhile) or the run is stopped.
   */
  private Optional<Batch> start() throws InterruptedException {
    while (stop == null) {
      try {
        if (resuming) {
          batches.transitionBatch(batchId, TERMINAL, BatchStatus.IN_PROGRESS, null);
        }
        return batches.findBatch(batchId).filter(b -> RUNNABLE.contains(b.status()));
      } catch (RuntimeException e) {
        LOG.warn("could not start batch {}; trying again", batchId, e);
        pause(runner.settings.pollInterval());
      }
    }
    return Optional.empty();
  }

  /**
   * Moves a pending batch to in progress once this run has claimed one of its simulations: a
   * batch is in progress only when some simulation of it has been claimed. A cancel that came
   * first keeps the batch cancelled (the transition is from pending only). Once per run.
   */
  private void markInProgress() {
    if (markedInProgress) {
      return;
    }
    try {
      batches.transitionBatch(batchId, EnumSet.of(BatchStatus.PENDING), BatchStatus.IN_PROGRESS, null);
      markedInProgress = true;
    } catch (RuntimeException e) {
      // The claims stand; the next claim or the end of the batch moves it on.
      LOG.warn("could not mark batch {} in progress; will try again", batchId, e);
    }
  }

  /**
   * Runs a {@code batch_api} batch: its coordinator holds every runnable simulation and sends their
   * rounds as provider jobs; when it has nothing left to hold, the batch ends once no other worker
   * holds any of its simulations either.
   */
  private void runProviderJobs(Batch batch) throws InterruptedException {
    BatchJobPorts jobs = runner.batchJobs;
    BatchApiSettings settings = runner.batchApiSettings;
    if (jobs == null || settings == null) {
      stop(Stop.FATAL, "execution batch_api needs a model that runs provider batch jobs (such as OpenAiChatModel);"
          + " this worker's model does not");
      return;
    }
    RoundJobCoordinator coordinator = new RoundJobCoordinator(queue, batches, jobs, settings, runner.prices,
        runner.listener, runner.clock, runner.settings.workerId(), runner.settings.leaseDuration());
    CoordinatorLease lease = new CoordinatorLease(queue, batchId, runner.settings.workerId(),
        runner.settings.leaseDuration());
    coordinatorLease = lease;
    providerJobs = coordinator;
    RoundJobCoordinator.Control control = new RoundJobCoordinator.Control() {
      @Override
      public boolean stopped() {
        // A coordinator lease taken over by another worker stops this one as a stop would.
        return stop != null || !lease.held();
      }

      @Override
      public boolean stillCoordinating() {
        return lease.confirm();
      }

      @Override
      public void cancelledElsewhere() {
        stop(Stop.CANCEL, null);
      }

      @Override
      public boolean cancelled() {
        return stop == Stop.CANCEL;
      }

      @Override
      public void modelFailed(String model, String error) {
        failedModels.putIfAbsent(model, error);
      }

      @Override
      public void pause(Duration timeout) throws InterruptedException {
        BatchRun.this.pause(timeout);
      }

      @Override
      public void claimed() {
        markInProgress();
      }

      @Override
      public CallBudget budget(Lease lease) {
        BatchRequest request = batch.request();
        return request.maxCostUsd() != null || request.maxTotalTokens() != null
            ? new LedgerBudget(queue, lease, request, runner.prices, true, null) : CallBudget.NONE;
      }

      @Override
      public void budgetReached(String why) {
        stop(Stop.BUDGET, why);
      }
    };
    try {
      coordinateWhileHoldingTheLease(batch, coordinator, control, lease);
    } finally {
      releaseCoordinatorLease(lease);
    }
  }

  /**
   * Runs the coordinator while this worker holds the batch's coordinator lease. A worker that does
   * not hold it claims nothing: it looks again at the lease's pace until the holder releases it or
   * dies (its lease expires), then takes over and resumes the stored jobs; it ends when the batch
   * has ended.
   */
  private void coordinateWhileHoldingTheLease(Batch batch, RoundJobCoordinator coordinator,
      RoundJobCoordinator.Control control, CoordinatorLease lease) throws InterruptedException {
    while (stop == null) {
      if (!lease.held() && !tryAcquire(lease)) {
        if (finishIfNothingLeft()) {
          return;
        }
        pause(lease.pollInterval());
        continue;
      }
      coordinator.run(batch, control);
      if (stop != null) {
        return;
      }
      if (lease.held() && finishIfNothingLeft()) {
        return;
      }
      pause(runner.settings.pollInterval());
    }
  }

  /**
   * Whether another process holds this {@code batch_api} batch's coordinator lease (this run has
   * released its own by now): a cancel here then leaves the simulations to the cancel's caller,
   * which marks them cancelled once that coordinator has stored what its cancelled jobs finished.
   */
  private boolean coordinatedElsewhere() {
    if (coordinatorLease == null) {
      return false;
    }
    try {
      return queue.findCoordinator(batchId).isPresent();
    } catch (RuntimeException e) {
      LOG.warn("could not read the coordinator of batch {}", batchId, e);
      return false;
    }
  }

  private boolean tryAcquire(CoordinatorLease lease) {
    try {
      return lease.tryAcquire();
    } catch (RuntimeException e) {
      LOG.warn("could not take the coordinator lease of batch {}; will try again", batchId, e);
      return false;
    }
  }

  private void releaseCoordinatorLease(CoordinatorLease lease) {
    try {
      lease.release();
    } catch (RuntimeException e) {
      LOG.warn("could not release the coordinator lease of batch {}; it will expire", batchId, e);
    }
  }

  /**
   * Claims and launches simulations as slots free until nothing is left or the run stops. Claims
   * come in pages: a claim takes the free slots plus a refill of the {@link ClaimBuffer}, and a freed
   * slot is handed a buffered simulation without a round trip to the store. A claim that finds
   * nothing backs off ({@link ClaimBackoff}), so a worker whose peers hold the rest of the batch
   * costs the store next to nothing while it waits.
   */
  private void claimUntilDone(Context context) throws InterruptedException {
    int page = Math.min(MAX_CLAIM_PAGE, runner.settings.maxInFlight());
    ClaimBackoff backoff = new ClaimBackoff(runner.settings.pollInterval(), runner.settings.leaseDuration());
    // Set when a claim returned fewer than it asked: the store has nothing more for now, so the
    // buffer is not refilled by claims of its own until a claim returns all it asked for.
    boolean storeShort = false;
    // After a claim that found nothing, how long to wait before the next claim, or null to claim at
    // once. A wait cut short by a signal (a local task ended) starts again: without this, every local
    // task ending near the end of a batch, and every poll of an idle worker, cost a claim that found
    // nothing. Counted in waits rather than read from a clock, as the injected ones may stand still.
    @Nullable Duration quiet = null;
    while (stop == null) {
      if (!runner.slots.tryAcquire(SLOT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        continue;
      }
      int permits = 1;
      while (permits < page && runner.slots.tryAcquire()) {
        permits++;
      }
      int free = permits;
      for (ClaimedSimulation next; free > 0 && stop == null && (next = buffer.take()) != null; free--) {
        // A buffer is kept only when no model has a limit of its own: no model slot to take.
        launch(context, next, null);
      }
      if (free > 0 && quiet != null) {
        runner.slots.release(free);
        // Woken by a local task's end: the last one ending may have finished the batch.
        if (holdsNothing() && finishIfNothingLeft()) {
          return;
        }
        if (!pauseUntilSignalled(quiet)) {
          quiet = null;
        }
        continue;
      }
      int refill = storeShort ? 0 : buffer.refill();
      if (stop != null || (free == 0 && refill == 0)) {
        runner.slots.release(free);
        continue;
      }
      // A model with a limit of its own and no free slot is left out of the claim: its simulations
      // would hold global slots while they wait for it, and starve the other models'.
      ModelSlots.Reservation reserved = runner.modelSlots.reserve(free);
      int asked = reserved.size() + refill;
      List<ClaimedSimulation> claimed;
      claiming = true;
      try {
        claimed = queue.claim(batchId, runner.settings.workerId(), asked, runner.settings.leaseDuration(),
            reserved.excluded());
      } catch (RuntimeException e) {
        reserved.releaseRest();
        runner.slots.release(free);
        LOG.warn("could not claim simulations of batch {}; trying again", batchId, e);
        pause(runner.settings.pollInterval());
        continue;
      } finally {
        claiming = false;
      }
      storeShort = claimed.size() < asked;
      int started = Math.min(free, claimed.size());
      runner.slots.release(free - started);
      if (!claimed.isEmpty()) {
        markInProgress();
        backoff.reset();
      }
      List<@Nullable String> modelSlots = new ArrayList<>(started);
      for (int i = 0; i < started; i++) {
        modelSlots.add(reserved.take(claimed.get(i).simulation().plannedModel()));
      }
      reserved.releaseRest();
      // Buffered before the launches, so the heartbeat renews them from the moment they are claimed.
      buffer.addAll(claimed.subList(started, claimed.size()));
      for (int i = 0; i < started; i++) {
        launch(context, claimed.get(i), modelSlots.get(i));
      }
      if (claimed.isEmpty() && free > 0) {
        if (reserved.excluded().isEmpty()) {
          // The quiet wait, next time round, first looks whether the batch is finished.
          quiet = backoff.afterEmptyClaim();
        } else {
          if (holdsNothing() && finishIfNothingLeft()) {
            return;
          }
          // A model left out for want of slots: a freed model slot wakes the coordinator to claim again.
          pause(runner.settings.pollInterval());
        }
      }
    }
  }

  /** Whether this run has no simulation running and none claimed ahead. */
  private boolean holdsNothing() {
    return inFlight.isEmpty() && buffer.size() == 0;
  }

  /**
   * Gives back the simulations claimed ahead and not started, whatever ended the run: pending again,
   * their claims undone, to run later here or elsewhere. A cancelled batch's are not given back, as
   * its running ones are not: the cancel marks every unfinished simulation cancelled, leased or
   * not, and ends the leases.
   */
  private void giveBackBuffered() {
    List<ClaimedSimulation> unstarted = buffer.drain();
    if (stop == Stop.CANCEL) {
      return;
    }
    for (ClaimedSimulation c : unstarted) {
      unclaimQuietly(c.lease());
    }
  }

  /**
   * Ends the batch when no simulation is unfinished; returns whether the run should end. A store
   * failure answers false, so the coordinator looks again after a pause instead of leaving the
   * batch in progress with nobody working on it.
   */
  private boolean finishIfNothingLeft() {
    try {
      Optional<Batch> now = batches.findBatch(batchId);
      if (now.isEmpty() || now.get().status().isTerminal()) {
        return true;
      }
      if (now.get().counts().unfinished() > 0) {
        return false;
      }
      if (now.get().counts().completed() >= 2) {
        flagDuplicates(now.get().counts().completed());
      }
      BatchStatus status = BatchStatus.aggregate(now.get().counts());
      // From pending too: another worker may have run every simulation before this run claimed one.
      if (batches.transitionBatch(batchId, RUNNABLE, status, failedModelsReason())) {
        batches.findBatch(batchId).ifPresent(runner.listener::batchFinished);
      }
      return true;
    } catch (RuntimeException e) {
      LOG.warn("could not check whether batch {} is done; trying again", batchId, e);
      return false;
    }
  }


  /** Why some simulations failed as a whole model's did, or null when no model failed in this run. */
  private @Nullable String failedModelsReason() {
    if (failedModels.isEmpty()) {
      return null;
    }
    StringBuilder why = new StringBuilder();
    new java.util.TreeMap<>(failedModels).forEach((model, error) -> why.append(why.length() == 0 ? "" : "; ")
        .append("model ").append(model).append(" could not be used, so its simulations failed (")
        .append(error).append(')'));
    return why.append("; the other models' simulations ran").toString();
  }

  /**
   * The named models {@code simulation} would call that a batch-fatal error made unusable, as a
   * failure to store; null when it can run.
   */
  private @Nullable String failedModelOf(Simulation simulation, BatchRequest request) {
    if (failedModels.isEmpty()) {
      return null;
    }
    List<String> uses = new ArrayList<>();
    String planned = simulation.plannedModel();
    if (planned != null) {
      uses.add(planned);
    }
    for (String id : simulation.entityIds()) {
      String own = request.participantModels().get(id);
      if (own != null) {
        uses.add(own);
      }
    }
    for (String model : uses) {
      String error = failedModels.get(model);
      if (error != null) {
        return "model " + model + " could not be used (" + error + ")";
      }
    }
    return null;
  }

  /**
   * Records that {@code e}'s model cannot be used; returns whether the batch can still run (some
   * model it names is usable). A batch that names no models has no other model to go on with.
   */
  private boolean modelFailed(ModelFatalLlmException e, BatchRequest request) {
    Throwable cause = e.getCause();
    String error = cause == null || cause.getMessage() == null ? e.getMessage() : cause.getMessage();
    if (failedModels.putIfAbsent(e.model(), error) == null) {
      LOG.error("batch {}: {}; only the simulations on it fail", batchId, e.getMessage());
    }
    List<String> models = request.models();
    if (!models.isEmpty()) {
      return !failedModels.keySet().containsAll(models);
    }
    // Only participants have models of their own: the others speak through the one model.
    return true;
  }

  /**
   * Runs the end-of-batch duplicate pass. A failure is logged and the batch finishes anyway: the
   * flags are advice, and a pass that kept failing must not keep the batch in progress for ever.
   */
  private void flagDuplicates(long completed) {
    try {
      DuplicateFlagging.run(batches, queue, batchId, signatures, completed);
    } catch (RuntimeException e) {
      LOG.warn("could not look for duplicate transcripts in batch {}; it finishes without them", batchId, e);
    }
  }

  /**
   * As {@link #pause}; returns whether the wait ended by a signal (a task ended, a wake, a stop)
   * rather than by the timeout.
   */
  private boolean pauseUntilSignalled(Duration timeout) throws InterruptedException {
    synchronized (signal) {
      long before = signals;
      if (stop == null) {
        signal.wait(Math.max(1, timeout.toMillis()));
      }
      return signals != before || stop != null;
    }
  }

  /** Waits until a task ends, the run stops, or {@code timeout} passes. */
  private void pause(Duration timeout) throws InterruptedException {
    synchronized (signal) {
      if (stop == null) {
        signal.wait(Math.max(1, timeout.toMillis()));
      }
    }
  }

  /** Wakes the coordinator if it waits for something to claim. */
  void wake() {
    synchronized (signal) {
      signals++;
      signal.notifyAll();
    }
  }

  /**
   * Runs {@code claimed} on the simulation executor.
   *
   * @param modelSlot the model whose own in-flight slot the simulation holds, or null for none
   */
  private void launch(Context context, ClaimedSimulation claimed, @Nullable String modelSlot) {
    Task task = new Task(context, claimed, modelSlot);
    inFlight.put(claimed.simulation().id(), task);
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      inFlight.remove(claimed.simulation().id());
      releaseModelSlot(modelSlot);
      runner.slots.release();
      unclaimQuietly(claimed.lease());
      stop(Stop.SHUTDOWN, null);
    }
  }

  private void releaseModelSlot(@Nullable String modelSlot) {
    if (modelSlot != null) {
      runner.modelSlots.release(modelSlot);
    }
  }

  private void waitForTasks() {
    synchronized (signal) {
      while (!inFlight.isEmpty()) {
        try {
          signal.wait(100);
        } catch (InterruptedException e) {
          // Keep waiting: the tasks were told to stop and will end soon; leaving now would let the
          // batch's final status be written while they still write.
          for (Task task : inFlight.values()) {
            task.interrupt();
          }
        }
      }
    }
  }

  /** Gives back a simulation claimed and never started, its claim undone (not counted in its attempts). */
  private void unclaimQuietly(Lease lease) {
    try {
      queue.unclaim(lease);
    } catch (RuntimeException e) {
      LOG.warn("could not give back simulation {}; its lease will expire", lease.simulationId(), e);
    }
  }

  /** Runs a write of a simulation's result, marking a store failure as such. */
  private static boolean stored(BooleanSupplier write) {
    try {
      return write.getAsBoolean();
    } catch (RuntimeException e) {
      throw new StoreFailure(e);
    }
  }

  /** The store failed to save a simulation's result; the cause says why. */
  private static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreFailure(RuntimeException cause) {
      super(cause);
    }
  }

  /** What every simulation of the batch needs, computed once. */
  private static final class Context {
    final Batch batch;
    final Map<String, Entity> entities = new LinkedHashMap<>();
    final String system;

    Context(Batch batch) {
      this.batch = batch;
      for (Entity e : batch.entities()) {
        entities.put(e.id(), e);
      }
      this.system = SimulationEngine.systemMessage(batch.request());
    }
  }

  /**
   * Where a task is in its life. A task moves forward only: {@code CLAIMED} → {@code RUNNING} →
   * one ending, or straight from {@code CLAIMED} to an ending when a stop comes first. Every ending
   * is reached through {@link Task#settle}, the one place a task gives up its lease.
   */
  enum TaskState {
    /** Claimed, its lease held, not yet running. */
    CLAIMED,
    /** Playing its rounds, each recorded as it finishes. */
    RUNNING,
    /** Its transcript is stored; the lease ended with it. */
    COMPLETED,
    /** Its error is stored; the lease ended with it. */
    FAILED,
    /** The user cancelled the batch: the cancel marked it cancelled and ended the lease; nothing written. */
    CANCELLED,
    /** Given back, pending again, to run later here or elsewhere from its last stored round. */
    GIVEN_BACK,
    /** The store refused the ending: the lease was no longer held (expired and taken, or deleted). */
    LOST,
    /** The store failed to take the ending; the lease will expire and the simulation run again. */
    ABANDONED;

    boolean isEnded() {
      return this != CLAIMED && this != RUNNING;
    }
  }

  /**
   * How a task ended and what settling it writes.
   *
   * @param state the ending
   * @param error the failure to store with {@link TaskState#FAILED}
   * @param completed the result to report with {@link TaskState#COMPLETED}
   * @param failed the engine's failure, whose calls' usage the store adds, or null for a failure of
   *     this process
   * @param retryable whether a store failure while writing this ending gives the simulation back
   *     (a result) rather than leaving its lease to expire (already a fallback)
   */
  private record Ending(TaskState state, @Nullable String error, @Nullable Completed completed,
      @Nullable Failed failed, boolean retryable) {
    static Ending completed(Completed result) {
      return new Ending(TaskState.COMPLETED, null, result, null, true);
    }

    /** The engine's failure, with what its calls cost. */
    static Ending failed(Failed result) {
      return new Ending(TaskState.FAILED, result.error(), null, result, true);
    }

    /** A failure of this process, not of the model: no call's usage is left to add. */
    static Ending failed(String error, boolean retryable) {
      return new Ending(TaskState.FAILED, error, null, null, retryable);
    }

    static Ending givenBack() {
      return new Ending(TaskState.GIVEN_BACK, null, null, null, false);
    }

    static Ending cancelled() {
      return new Ending(TaskState.CANCELLED, null, null, null, false);
    }

    /** The lease was lost while playing: another worker (or nobody) holds the simulation; write nothing. */
    static Ending lost() {
      return new Ending(TaskState.LOST, null, null, null, false);
    }
  }

  /** One claimed simulation running on the simulation executor. */
  private final class Task implements Runnable {
    final Context context;
    final ClaimedSimulation claimed;
    /** The model whose own in-flight slot this task holds until it ends; null for none. */
    private final @Nullable String modelSlot;
    private volatile TaskState state = TaskState.CLAIMED;
    /** The batch-fatal error this task met, if any; it stops the batch once the task has settled. */
    private @Nullable String fatal;
    /** The attempts this task's reruns set aside and stored, for the completed simulation it reports. */
    private final List<FailedAttempt> setAside = new ArrayList<>();
    /** The outcomes this task extracted and recorded, for the completed simulation it reports. */
    private @Nullable ExtractedOutcomes extracted;
    /** The last round held for the finish's write, when nothing comes between them. */
    private @Nullable LastRoundHold lastRound;
    /** Why this task's next call could not start within the budget, if it could not. */
    private @Nullable String budgetReached;
    private @Nullable Thread thread;
    private boolean interrupted;

    Task(Context context, ClaimedSimulation claimed, @Nullable String modelSlot) {
      this.context = context;
      this.claimed = claimed;
      this.modelSlot = modelSlot;
    }

    synchronized void interrupt() {
      interrupted = true;
      if (thread != null) {
        thread.interrupt();
      }
    }

    private synchronized boolean attach() {
      thread = Thread.currentThread();
      return !interrupted;
    }

    /**
     * Stops interrupts reaching this task's thread and clears one already there. Called before the
     * write that settles the simulation: an interrupt left set, or one from a stop arriving during
     * the write, would make the store refuse it and leave the simulation leased until it expires.
     */
    private synchronized void detach() {
      thread = null;
      Thread.interrupted();
    }

    private void moveTo(TaskState next) {
      if (state.isEnded()) {
        throw new IllegalStateException("simulation " + claimed.simulation().id() + " already ended " + state);
      }
      state = next;
    }

    private void end(TaskState ending) {
      moveTo(ending);
      synchronized (endings) {
        endings.merge(ending, 1, Integer::sum);
      }
    }

    private synchronized boolean stopRequested() {
      return interrupted;
    }

    @Override
    public void run() {
      try {
        Ending ending = play();
        settle(ending);
        if (fatal != null) {
          stop(Stop.FATAL, fatal);
        } else if (budgetReached != null) {
          stop(Stop.BUDGET, budgetReached);
        }
      } finally {
        detach();
        handOverSlot();
        synchronized (signal) {
          signals++;
          signal.notifyAll();
        }
      }
    }

    /**
     * Gives this task's slot to the next buffered simulation while the coordinator claims, or back
     * to the runner. A claim may take as long as several simulations (on SQLite it waits behind
     * the group commit), and a slot freed meanwhile would stand idle with simulations buffered.
     * The next one is in flight before this one leaves it, so the run is never seen holding
     * nothing in between.
     */
    private void handOverSlot() {
      // Only while the coordinator claims: otherwise it takes the slot at once, and refills the
      // buffer as it does. A buffer is kept only when no model has a limit of its own: no model
      // slot to hand over.
      ClaimedSimulation next = claiming && modelSlot == null && stop == null ? buffer.take() : null;
      if (next != null) {
        launch(context, next, null);
      }
      inFlight.remove(claimed.simulation().id());
      if (next == null) {
        runner.slots.release();
        releaseModelSlot(modelSlot);
      }
    }

    /** Plays the simulation's remaining rounds, recording each; returns how it ended, unsettled. */
    private Ending play() {
      Simulation simulation = claimed.simulation();
      Lease lease = claimed.lease();
      try {
        if (!attach() || stop != null) {
          return afterStop();
        }
        moveTo(TaskState.RUNNING);
        runner.listener.simulationStarted(simulation);
        BatchRequest request = context.batch.request();
        String unusable = failedModelOf(simulation, request);
        if (unusable != null) {
          return Ending.failed(unusable, true);
        }
        CallBudget budget = request.maxCostUsd() != null || request.maxTotalTokens() != null
            ? new LedgerBudget(queue, lease, request, runner.prices, simulation.plannedModel()) : CallBudget.NONE;
        SimulationEngine.RoundSink rounds = round -> stored(() -> queue.recordRound(lease, round));
        lastRound = LastRoundHold.of(request, simulation, rounds);
        Outcome outcome = runner.engine.play(simulation, request, context.system,
            context.batch.seed(), context.entities, lastRound != null ? lastRound : rounds,
            turn -> stored(() -> queue.recordTurn(lease, turn)), budget);
        if (outcome instanceof Completed c) {
          // Reruns first: the outcomes are extracted from the transcript that is kept.
          Optional<Completed> kept = reruns.keepBetter(simulation, lease, c, request, context.system,
              context.batch.seed(), context.entities, budget, setAside);
          if (kept.isEmpty()) {
            // The lease was lost while a rerun was stored: giving back finds it lost and writes nothing.
            return Ending.givenBack();
          }
          return Ending.completed(withOutcomes(simulation, lease, kept.get()));
        }
        if (outcome instanceof LeaseLost) {
          return Ending.lost();
        }
        return Ending.failed((Failed) outcome);
      } catch (ModelFatalLlmException e) {
        if (modelFailed(e, context.batch.request())) {
          return Ending.failed(e.getMessage(), true);
        }
        fatal = e.getMessage();
        return Ending.givenBack();
      } catch (BatchFatalLlmException e) {
        fatal = e.getMessage();
        return Ending.givenBack();
      } catch (BudgetReachedException e) {
        budgetReached = e.getMessage();
        return Ending.givenBack();
      } catch (LeaseLostException e) {
        LOG.info("lease on simulation {} was lost before its next call; stopping it here", simulation.id());
        return Ending.lost();
      } catch (InterruptedException e) {
        return afterStop();
      } catch (StoreFailure e) {
        return stopRequested() ? afterStop() : afterStoreFailure(e.getCause());
      } catch (RuntimeException e) {
        if (stopRequested()) {
          // A store call interrupted by the stop reports it as its own exception: not a failure.
          return afterStop();
        }
        LOG.error("simulation {} of batch {} failed unexpectedly", simulation.id(), batchId, e);
        return Ending.failed("internal error: " + e, false);
      }
    }

    /**
     * Extracts the declared outcomes the completed simulation lacks (all of them on its first run;
     * those a re-extraction cleared) and records them under the lease; a simulation with nothing to
     * extract is returned as it is. A failed extraction is recorded as such and the simulation still
     * completes: the dialogue is never lost. The extraction's usage joins the result's.
     */
    private Completed withOutcomes(Simulation simulation, Lease lease, Completed completed)
        throws InterruptedException {
      BatchRequest request = context.batch.request();
      List<DeclaredOutcome> wanted = OutcomeExtractor.missing(request, simulation.outcomes());
      if (wanted.isEmpty()) {
        return completed;
      }
      List<Entity> participants = new ArrayList<>(simulation.entityIds().size());
      for (String id : simulation.entityIds()) {
        participants.add(context.entities.get(id));
      }
      ExtractedOutcomes extraction = runner.extractor.extract(request, wanted, participants, completed.turns(),
          OutcomeExtractor.seed(context.batch.seed(), request, simulation.sequenceNumber()), simulation.plannedModel());
      // Priced like every call, by the model that answered; no call made costs nothing.
      ExtractedOutcomes result = extraction.withCostUsd(extraction.usage().calls() == 0 ? 0.0
          : runner.prices.costUsd(extraction.extraction().model(), extraction.usage()));
      // A lost lease shows in the finish that follows, which then writes nothing either.
      stored(() -> queue.recordOutcomes(lease, result));
      extracted = result;
      return new Completed(completed.turns(), completed.usage().plus(result.usage()),
          CostSum.plus(completed.costUsd(), result.costUsd()));
    }

    /** After an interruption: a cancelled batch's simulations were already marked; others go back. */
    private Ending afterStop() {
      return stop == Stop.CANCEL ? Ending.cancelled() : Ending.givenBack();
    }

    /**
     * The store could not save a result (an outage, a full connection pool): the simulation goes
     * back to be run again, from its last stored round, rather than failing for good; only one that
     * has been tried {@value #MAX_ATTEMPTS_AFTER_STORE_FAILURE} times fails, with the store's reason.
     */
    private Ending afterStoreFailure(Throwable cause) {
      Simulation simulation = claimed.simulation();
      if (simulation.attempts() >= MAX_ATTEMPTS_AFTER_STORE_FAILURE) {
        LOG.error("simulation {} of batch {} could not be stored after {} attempts", simulation.id(), batchId,
            simulation.attempts(), cause);
        return Ending.failed("could not be stored after " + simulation.attempts() + " attempts: " + cause.getMessage(),
            false);
      }
      LOG.warn("could not store simulation {} of batch {}; it will run again: {}", simulation.id(), batchId,
          cause.getMessage());
      return holdOnePollInterval() ? Ending.givenBack() : afterStop();
    }

    /**
     * Keeps the simulation, lease and slot for one poll interval before it goes back; false when a
     * stop interrupted the wait. Given back at once, it was claimed again at once (it has the lowest
     * sequence number of the runnable ones) and, its rounds all stored, went straight back to the
     * write that had just failed: a store failing for a few milliseconds used up all its attempts.
     */
    private boolean holdOnePollInterval() {
      try {
        TimeUnit.MILLISECONDS.sleep(Math.max(1, runner.settings.pollInterval().toMillis()));
        return true;
      } catch (InterruptedException e) {
        return false;
      }
    }

    /**
     * Ends this task's hold on its simulation, whichever way it ended: the one place a lease is
     * given up. Detaches from interrupts first (see {@link #detach}). A store failure while writing
     * a result falls back once to giving the simulation back (or failing it after too many
     * attempts); a store failure while writing a fallback leaves the lease to expire.
     */
    private void settle(Ending first) {
      detach();
      Ending ending = first;
      while (true) {
        try {
          end(write(ending));
          return;
        } catch (StoreFailure e) {
          if (!ending.retryable()) {
            LOG.warn("could not settle simulation {} as {}; its lease will expire", claimed.simulation().id(),
                ending.state(), e.getCause());
            end(TaskState.ABANDONED);
            return;
          }
          ending = stopRequested() ? afterStop() : afterStoreFailure(e.getCause());
        }
      }
    }

    /** Writes the ending; returns the state the task ends in. */
    private TaskState write(Ending ending) {
      Simulation simulation = claimed.simulation();
      Lease lease = claimed.lease();
      switch (ending.state()) {
        case COMPLETED -> {
          Completed c = Objects.requireNonNull(ending.completed());
          // The flags and the duplicate signature from one cut of the transcript's words.
          SimulationQuality quality = SimulationFlagger.assess(context.batch.request().language(),
              simulation.entityIds(), c.turns(), c.truncatedAnswers());
          List<QualityFlag> flags = quality.flags();
          // The flags with the finish, in one write: a reader never sees the simulation completed
          // without them. The turns it holds spare the store reading them back; a held last round
          // goes in the same write.
          @Nullable RoundResult last = lastRound == null ? null : lastRound.take();
          if (!stored(() -> last == null ? queue.finishCompleted(lease, flags, c.turns())
              : queue.finishCompleted(lease, last, flags, c.turns()))) {
            return TaskState.LOST;
          }
          // Signed here, on this simulation's thread, so the end-of-batch pass need not read it back.
          signatures.completed(simulation.id(), simulation.sequenceNumber(), simulation.attempts(),
              quality.transcriptSignature(), flags);
          runner.listener.simulationCompleted(
              finished(simulation, SimulationStatus.COMPLETED, c.turns(), c.usage(), null).withCostUsd(c.costUsd())
                  .withFlags(flags));
          return TaskState.COMPLETED;
        }
        case FAILED -> {
          String error = Objects.requireNonNull(ending.error());
          Failed failed = ending.failed();
          TokenUsage unrecorded = failed == null ? TokenUsage.ZERO : failed.unrecordedUsage();
          @Nullable Double unrecordedCost = failed == null ? Double.valueOf(0.0) : failed.unrecordedCostUsd();
          if (!stored(() -> queue.finish(lease, SimulationStatus.FAILED, error, unrecorded, unrecordedCost))) {
            return TaskState.LOST;
          }
          runner.listener.simulationFailed(finished(simulation, SimulationStatus.FAILED, simulation.turns(),
              failed == null ? simulation.usage() : failed.usage(), error)
              .withCostUsd(failed == null ? simulation.costUsd() : failed.costUsd()));
          return TaskState.FAILED;
        }
        case GIVEN_BACK -> {
          return stored(() -> queue.release(lease)) ? TaskState.GIVEN_BACK : TaskState.LOST;
        }
        case CANCELLED -> {
          return TaskState.CANCELLED;
        }
        case LOST -> {
          return TaskState.LOST;
        }
        default -> throw new IllegalStateException("not an ending: " + ending.state());
      }
    }

    /** The simulation's attempt history with what this task's reruns appended. */
    private List<FailedAttempt> history(Simulation s) {
      if (setAside.isEmpty()) {
        return s.attemptHistory();
      }
      List<FailedAttempt> history = new ArrayList<>(s.attemptHistory());
      history.addAll(setAside);
      return history;
    }

    private Simulation finished(Simulation s, SimulationStatus status, List<Turn> turns, TokenUsage usage,
        @Nullable String error) {
      Simulation done = new Simulation(s.id(), s.batchId(), s.sequenceNumber(), s.entityIds(), s.speakingOrder(),
          status, turns, error, s.attempts(), usage, s.model(), s.finalTurnNumber(), s.createdAt(), s.startedAt(),
          runner.clock.instant(), history(s)).withFlags(s.flags()).withPlannedModel(s.plannedModel());
      ExtractedOutcomes e = extracted;
      if (e == null) {
        return done.withOutcomes(s.outcomes(), s.outcomeError(), s.outcomeExtraction());
      }
      Map<String, @Nullable Object> values = new LinkedHashMap<>(s.outcomes());
      values.putAll(e.values());
      return done.withOutcomes(values, e.error(), e.extraction());
    }
  }
}
