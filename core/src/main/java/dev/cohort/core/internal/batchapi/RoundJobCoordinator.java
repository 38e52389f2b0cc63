package dev.cohort.core.internal.batchapi;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.outcome.OutcomeAsk;
import dev.cohort.core.internal.quality.SimulationFlagger;
import dev.cohort.core.internal.simulation.BudgetReachedException;
import dev.cohort.core.internal.simulation.CallBudget;
import dev.cohort.core.internal.simulation.ScriptedRound;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.internal.simulation.SteppedAsk;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.CostSum;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code batch_api} batch turn-synchronously: holds every runnable simulation of the batch
 * under a lease, puts the next round of each into provider batch jobs, stores each job before going
 * on, polls the jobs until they end, then stores their answers as rounds, as direct mode would
 * (through {@link ScriptedRound}: same prompts, parsing and re-asks; a re-ask goes into the next
 * job). Role-play goes turn by turn the same way (through {@link
 * dev.cohort.core.internal.simulation.RoleplayTurn}): one job per turn number across the held
 * simulations, each answer stored as a turn before the next turn's job is submitted. A batch that
 * declares outcomes puts each simulation's extraction ({@link OutcomeAsk}) into the job after its
 * last round or turn; a failed extraction is stored as such and the simulation completes, as in
 * direct mode. A request the
 * provider failed or an expired job left unanswered is tried again in the next job, up to {@link
 * BatchApiSettings#maxAttempts()} tries. Jobs stored but not applied (a process
 * that stopped while they ran) are polled, never submitted again; a job a stopped process had
 * submitted but not yet stored is found at the provider and adopted (see {@link
 * IntendedSubmissions}). Calls are priced at the batch
 * discount of the price table. With several models (a batch's {@code models}, role-play's {@code
 * participant_models}) each request goes to its own model's provider, in jobs of that model only,
 * and each stored job is polled where it runs ({@link ProviderJob#model()}).
 */
public final class RoundJobCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(RoundJobCoordinator.class);
  /** Bytes a request line adds to the input file beyond its chat body: custom id, method, url. */
  private static final int LINE_OVERHEAD_BYTES = 120;
  private static final int CLAIM_PAGE = 1_000;

  /** What the coordinator needs from the run it works for. */
  public interface Control {
    /** Whether the run was told to stop. */
    boolean stopped();

    /** Whether the stop is the user's cancel (then running jobs are cancelled at the provider). */
    boolean cancelled();

    /** Waits up to {@code timeout}, or less when the run is told to stop. */
    void pause(Duration timeout) throws InterruptedException;

    /** Called once simulations of the batch are held: the batch is in progress. */
    void claimed();

    /**
     * The budget a held simulation's calls are reserved against and settled with, at the batch
     * price; {@link CallBudget#NONE} when the batch has none.
     */
    CallBudget budget(Lease lease);

    /** The budget refused a job's reservation: the run stops as at a budget in direct mode. */
    void budgetReached(String why);

    /**
     * Whether this worker still holds the batch's coordinator lease, asked (and the lease renewed)
     * right before jobs are submitted: a worker that lost it submits nothing.
     */
    boolean stillCoordinating();

    /**
     * The batch was cancelled in the store by another process: the run stops as at an in-process
     * cancel, so {@link #cancelled()} is true from now on and the jobs are cancelled at the provider.
     */
    void cancelledElsewhere();

    /**
     * A registry model's provider refused its jobs for good: its simulations failed, the others go
     * on, and the batch's error names the model and {@code error} when it ends.
     */
    void modelFailed(String model, String error);
  }

  private final WorkQueue queue;
  private final BatchStore store;
  private final BatchJobPorts jobs;
  private final BatchApiSettings settings;
  private final PriceTable prices;
  private final ProgressListener listener;
  private final Clock clock;
  private final String workerId;
  private final Duration leaseDuration;
  private final IntendedSubmissions intended;
  private final Map<Integer, Slot> held = new TreeMap<>();
  private volatile List<Lease> leases = List.of();
  /** The outcome extraction that follows a simulation's dialogue in the batch being run. */
  private @Nullable ExtractionAfterDialogue afterDialogue;

  /** One held simulation and the round (or role-play turn) it is on. */
  private static final class Slot {
    ClaimedSimulation claimed;
    SteppedAsk round;
    /** Tries of the round's current call, the one in flight included. */
    int attempt = 1;
    List<Turn> turns;
    TokenUsage usage;
    @Nullable Double cost;
    int truncated;

    final CallBudget budget;

    Slot(ClaimedSimulation claimed, SteppedAsk round, CallBudget budget) {
      this.budget = budget;
      this.claimed = claimed;
      this.round = round;
      this.turns = new ArrayList<>(claimed.simulation().turns());
      this.usage = claimed.simulation().usage();
      this.cost = claimed.simulation().costUsd();
    }

    CustomId id() {
      return new CustomId(claimed.simulation().sequenceNumber(), round.round(), round.turnNumber(), round.ask(),
          attempt);
    }
  }

  /**
   * @param jobs the provider batch-job capability of each model the batch's requests are for: each
   *     model's requests go to its own provider, and each stored job is polled at its model's
   */
  public RoundJobCoordinator(WorkQueue queue, BatchStore store, BatchJobPorts jobs, BatchApiSettings settings,
      PriceTable prices, ProgressListener listener, Clock clock, String workerId, Duration leaseDuration) {
    this.queue = queue;
    this.store = store;
    this.jobs = jobs;
    this.settings = settings;
    this.prices = prices;
    this.listener = listener;
    this.clock = clock;
    this.workerId = workerId;
    this.leaseDuration = leaseDuration;
    this.intended = new IntendedSubmissions(store, jobs, clock);
  }

  /** The leases held now, for the runner's heartbeat to renew. */
  public List<Lease> leases() {
    return leases;
  }

  /**
   * Runs the batch's rounds until no simulation is left to hold, or the run stops. Held
   * simulations are given back on a stop (their stored jobs stay, to be polled by whoever resumes).
   */
  public void run(Batch batch, Control control) throws InterruptedException {
    BatchRequest request = batch.request();
    Map<String, Entity> entities = new LinkedHashMap<>();
    for (Entity e : batch.entities()) {
      entities.put(e.id(), e);
    }
    String system = SimulationEngine.systemMessage(request);
    afterDialogue = new ExtractionAfterDialogue(batch, entities, settings.maxReasks(), jobs);
    try {
      // A job a stopped process submitted but did not store is stored now, to be polled below.
      intended.recover(batch.id());
      while (!control.stopped()) {
        if (cancelledInStore(batch.id(), control)) {
          return;
        }
        claimAll(batch, entities, system, control);
        List<ProviderJob> open = new ArrayList<>();
        for (ProviderJob j : store.findProviderJobs(batch.id())) {
          if (!j.applied()) {
            open.add(j);
          }
        }
        if (held.isEmpty() && open.isEmpty()) {
          return;
        }
        if (open.isEmpty()) {
          if (!control.stillCoordinating() || !reserve(control)) {
            return;
          }
          submitNextRounds(batch, request, control);
          continue;
        }
        List<ProviderJob> ended = awaitEnd(open, control);
        if (ended == null || !awaitHeld(ended, batch, entities, system, control)) {
          return;
        }
        adopt(ended);
        for (ProviderJob job : ended) {
          apply(job, request);
          store.saveProviderJob(job.asApplied());
        }
        publishLeases();
      }
    } finally {
      boolean cancelled = control.stopped() && control.cancelled();
      if (cancelled) {
        storeWhatCancelledJobsFinished(batch);
      }
      // A cancel's simulations are not given back: the cancel marks them cancelled, and given back
      // they could be claimed by another worker first.
      for (Slot slot : cancelled ? List.<Slot>of() : held.values()) {
        try {
          queue.release(slot.claimed.lease());
        } catch (RuntimeException e) {
          LOG.warn("could not give back simulation {}; its lease will expire", slot.claimed.simulation().id(), e);
        }
      }
      held.clear();
      publishLeases();
    }
  }

  /** Claims every runnable simulation of the batch not held yet. */
  private void claimAll(Batch batch, Map<String, Entity> entities, String system, Control control) {
    while (true) {
      List<ClaimedSimulation> page = queue.claim(batch.id(), workerId, CLAIM_PAGE, leaseDuration);
      for (ClaimedSimulation c : page) {
        Simulation s = c.simulation();
        SteppedAsk round = SteppedAsk.next(s, batch.request(), system, batch.seed(), entities,
            settings.transcriptWindow(), settings.maxReasks());
        if (round == null) {
          round = extractionAfter(s, s.turns());
        }
        if (round == null) {
          // Every round stored by an earlier run that stopped before finishing the simulation.
          finishCompleted(c, s.turns(), 0, s.costUsd(), batch.request());
          continue;
        }
        held.put(s.sequenceNumber(), new Slot(c, round, control.budget(c.lease())));
        control.claimed();
        listener.simulationStarted(s);
      }
      publishLeases();
      if (page.size() < CLAIM_PAGE) {
        return;
      }
    }
  }

  /**
   * Reserves the estimated cost of every request of the next jobs before any is submitted, at the
   * batch price, so a whole job fits in the budget; false (the run told why) when it does not.
   */
  private boolean reserve(Control control) {
    for (Slot slot : held.values()) {
      try {
        slot.budget.reserve(slot.round.call());
      } catch (BudgetReachedException e) {
        control.budgetReached(e.getMessage());
        return false;
      }
    }
    return true;
  }

  /**
   * Puts the next round of every held simulation into jobs, each model's requests into jobs of its
   * own provider within that provider's limits, storing each job as soon as the provider has
   * accepted it.
   */
  private void submitNextRounds(Batch batch, BatchRequest request, Control control) {
    for (Map.Entry<@Nullable String, List<Slot>> group
        : RequestsByModel.group(held.values(), (Slot slot) -> slot.round.callModel()).entrySet()) {
      submitForModel(batch, group.getKey(), group.getValue(), control);
    }
  }

  /**
   * Submits the next requests of {@code slots}, all for registry model {@code model} (null: the
   * one model), to that model's provider; fails them when it runs no provider jobs here (a batch
   * made by a process with another registry).
   */
  private void submitForModel(Batch batch, @Nullable String model, List<Slot> slots, Control control) {
    BatchJobPort port = jobs.find(model);
    if (port == null) {
      for (Slot slot : slots) {
        slot.budget.settle(TokenUsage.ZERO, null);
        fail(slot, slot.round.what() + ": " + jobs.whyNot(model));
      }
      return;
    }
    List<Line> lines = new ArrayList<>(slots.size());
    for (Slot slot : slots) {
      lines.add(new Line(slot, new BatchJobRequest(slot.id().text(), slot.round.call())));
    }
    List<List<Line>> split = JobSplitter.split(lines, settings.maxRequestsPerJob(), settings.maxBytesPerJob(),
        line -> line.request().request().canonicalJson().length() + LINE_OVERHEAD_BYTES);
    for (int i = 0; i < split.size(); i++) {
      List<Line> part = split.get(i);
      List<BatchJobRequest> requests = new ArrayList<>(part.size());
      for (Line line : part) {
        requests.add(line.request());
      }
      ProviderJob job;
      try {
        job = intended.submit(batch.id(), port, model, requests);
      } catch (BatchFatalLlmException e) {
        if (model == null) {
          throw e;
        }
        failModel(batch, model, e, split.subList(i, split.size()));
        control.modelFailed(model, String.valueOf(e.getMessage()));
        return;
      }
      LOG.info("batch {}: submitted provider job {} with {} requests{}", batch.id(), job.jobId(), part.size(),
          model == null ? "" : " of model " + model);
    }
  }

  /** One request of a job and the held simulation it is for. */
  private record Line(Slot slot, BatchJobRequest request) {}

  /**
   * A registry model's provider refused a job for good (a bad key, no access, no quota): only that
   * model's simulations not yet in a job fail, naming it, as in direct mode; the others go on.
   */
  private void failModel(Batch batch, String model, BatchFatalLlmException e, List<List<Line>> unsent) {
    LOG.error("batch {}: model {} refused its provider job; only its simulations fail: {}", batch.id(), model,
        e.getMessage());
    for (List<Line> part : unsent) {
      for (Line line : part) {
        line.slot().budget.settle(TokenUsage.ZERO, null);
        fail(line.slot(), "model " + model + ": " + e.getMessage());
      }
    }
  }

  /**
   * Waits until this worker holds every simulation the ended jobs carry: after a restart, the
   * stopped process's leases must expire first, and answers applied to simulations not held would
   * be dropped (and their rounds asked again). Gives up after two lease durations: a simulation
   * that finished or was cancelled meanwhile is never held again, and its answers are not needed.
   *
   * @return false when the run stopped while waiting
   */
  private boolean awaitHeld(List<ProviderJob> ended, Batch batch, Map<String, Entity> entities, String system,
      Control control) throws InterruptedException {
    long waits = 2 * leaseDuration.toMillis() / Math.max(1, pollSlice().toMillis()) + 1;
    for (long i = 0; i < waits && !allHeld(ended); i++) {
      control.pause(pollSlice());
      if (control.stopped()) {
        return false;
      }
      claimAll(batch, entities, system, control);
    }
    return !control.stopped();
  }

  /** A quarter lease: often enough to take over expired leases soon after they expire. */
  private Duration pollSlice() {
    return leaseDuration.dividedBy(4).isZero() ? Duration.ofMillis(1) : leaseDuration.dividedBy(4);
  }

  private boolean allHeld(List<ProviderJob> ended) {
    for (ProviderJob job : ended) {
      for (String text : job.customIds()) {
        CustomId id = CustomId.parse(text);
        if (id != null && !held.containsKey(id.sequence())) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Lines the held simulations up with stored jobs a stopped run left: each simulation's round
   * continues at the re-ask and try its request in the job names.
   */
  private void adopt(List<ProviderJob> open) {
    for (ProviderJob job : open) {
      for (String text : job.customIds()) {
        CustomId id = CustomId.parse(text);
        Slot slot = id == null ? null : held.get(id.sequence());
        if (slot != null && slot.round.round() == id.round() && slot.round.turnNumber() == id.turn()) {
          slot.round.continueAt(id.ask());
          slot.attempt = id.attempt();
        }
      }
    }
  }

  /** Polls the jobs until all have ended, storing each new state; null when the run stopped first. */
  private @Nullable List<ProviderJob> awaitEnd(List<ProviderJob> open, Control control) throws InterruptedException {
    List<ProviderJob> current = new ArrayList<>(open);
    while (true) {
      boolean allEnded = true;
      for (int i = 0; i < current.size(); i++) {
        ProviderJob job = current.get(i);
        if (job.state().isTerminal()) {
          continue;
        }
        try {
          ProviderJob now = job.with(jobs.require(job.model()).job(job.jobId()));
          if (now.state() != job.state() || now.completed() != job.completed() || now.failed() != job.failed()) {
            store.saveProviderJob(now);
          }
          current.set(i, now);
          allEnded &= now.state().isTerminal();
        } catch (LlmException e) {
          LOG.warn("could not read provider job {}; will try again: {}", job.jobId(), e.getMessage());
          allEnded = false;
        }
      }
      if (allEnded) {
        return current;
      }
      pauseWatchingForCancel(current.get(0).batchId(), control);
      if (control.stopped()) {
        return null;
      }
    }
  }

  /** Stores what an ended job answered; what it did not answer is tried again in the next job. */
  private void apply(ProviderJob job, BatchRequest request) {
    Map<String, BatchJobResult> results = new HashMap<>();
    for (BatchJobResult r : jobs.require(job.model()).results(job.asBatchJob())) {
      results.put(r.customId(), r);
    }
    for (String text : job.customIds()) {
      CustomId id = CustomId.parse(text);
      Slot slot = id == null ? null : held.get(id.sequence());
      if (slot == null || slot.round.round() != id.round() || slot.round.turnNumber() != id.turn()
          || slot.round.ask() != id.ask()) {
        // Not held here (finished already, or another worker's), or already past this request.
        continue;
      }
      BatchJobResult result = results.get(text);
      ChatResponse answer = result == null ? null : result.response();
      slot.budget.settle(answer == null ? TokenUsage.ZERO : answer.usage().asOneCall(),
          answer == null ? null : answer.model());
      if (result == null && job.state() == BatchJobState.CANCELLED) {
        // The cancel, not the provider, left it unanswered: asked again at the same try on a resume.
        continue;
      }
      if (result == null || answer == null) {
        String why = result == null ? "the job ended " + job.state().wireName() + " without answering it"
            : result.error();
        retryOrFail(slot, request, String.valueOf(why));
        continue;
      }
      take(slot, request, answer);
    }
  }

  private void retryOrFail(Slot slot, BatchRequest request, String why) {
    if (slot.attempt >= settings.maxAttempts()) {
      String failed = "the provider's batch job failed the request " + slot.attempt + " times; last: " + why;
      if (slot.round instanceof OutcomeAsk extraction) {
        extraction.giveUp(failed);
        accept(slot, request);
      } else {
        fail(slot, slot.round.what() + ": " + failed);
      }
      return;
    }
    slot.attempt++;
  }

  private void take(Slot slot, BatchRequest request, ChatResponse response) {
    TokenUsage usage = response.usage().asOneCall();
    String model = response.model() != null ? response.model() : request.llm().model();
    if (model == null) {
      // A registry model's request names no model (its port knows it): its registry name prices it.
      model = slot.round.callModel();
    }
    Optional<ModelPrice> price = prices.find(model);
    @Nullable Double cost = price.isPresent() ? price.get().batchCostUsd(usage) : null;
    ScriptedRound.Verdict verdict = slot.round.take(response, usage, cost);
    slot.attempt = 1;
    switch (verdict) {
      case REASK -> {
        // The re-ask goes into the next job.
      }
      // A failed extraction is recorded as such and the simulation completes, as in direct mode.
      case REJECTED -> {
        if (slot.round instanceof OutcomeAsk) {
          accept(slot, request);
        } else {
          fail(slot, slot.round.what() + ": " + slot.round.problem());
        }
      }
      case ACCEPTED -> accept(slot, request);
    }
  }

  /**
   * Stores the accepted piece and moves the simulation on: to its next round (or turn), then to
   * its outcome extraction when the batch declares outcomes, then to its completion. A failed
   * extraction arrives here too: it is stored as the extraction's result.
   */
  private void accept(Slot slot, BatchRequest request) {
    if (!slot.round.record(queue, slot.claimed.lease())) {
      LOG.info("lease on simulation {} was lost; another worker continues it", slot.claimed.simulation().id());
      held.remove(slot.claimed.simulation().sequenceNumber());
      return;
    }
    slot.turns.addAll(slot.round.turns());
    slot.usage = slot.usage.plus(slot.round.usage());
    slot.cost = CostSum.plus(slot.cost, slot.round.costUsd());
    if (slot.round.truncated()) {
      slot.truncated++;
    }
    SteppedAsk next = slot.round.following(slot.turns);
    if (next == null && !(slot.round instanceof OutcomeAsk)) {
      next = extractionAfter(slot.claimed.simulation(), slot.turns);
    }
    if (next == null) {
      held.remove(slot.claimed.simulation().sequenceNumber());
      finishCompleted(slot.claimed, slot.turns, slot.truncated, slot.cost, request);
    } else {
      slot.round = next;
    }
  }

  /** The outcome extraction that follows {@code simulation}'s dialogue {@code turns}; null for none. */
  private @Nullable OutcomeAsk extractionAfter(Simulation simulation, List<Turn> turns) {
    ExtractionAfterDialogue after = afterDialogue;
    return after == null ? null : after.of(simulation, turns);
  }

  private void finishCompleted(ClaimedSimulation claimed, List<Turn> turns, int truncated, @Nullable Double cost,
      BatchRequest request) {
    Simulation s = claimed.simulation();
    List<QualityFlag> flags = SimulationFlagger.flags(request.language(), s.entityIds(), turns, truncated);
    if (!flags.isEmpty() || !s.flags().isEmpty()) {
      // Before finishing, while the lease keeps other workers off it, as direct mode does.
      queue.recordFlags(s.id(), flags);
    }
    if (queue.finish(claimed.lease(), SimulationStatus.COMPLETED, null)) {
      listener.simulationCompleted(s.withCostUsd(cost).withFlags(flags));
    }
  }

  private void fail(Slot slot, String error) {
    Simulation s = slot.claimed.simulation();
    held.remove(s.sequenceNumber());
    if (queue.finish(slot.claimed.lease(), SimulationStatus.FAILED, error, slot.round.usage(), slot.round.costUsd())) {
      listener.simulationFailed(s);
    }
  }

  /**
   * Cancels the open jobs at the provider and, while this worker still holds the simulations,
   * stores as rounds what the jobs finished before they ended (as for an expired job). A job whose
   * simulations are not all held here stays unapplied: whoever resumes the batch stores its answers.
   */
  private void storeWhatCancelledJobsFinished(Batch batch) {
    List<ProviderJob> ended = new CancelledJobs(store, jobs, clock, Sleeper.SYSTEM)
        .cancelAndAwaitEnd(batch.id(), settings.pollInterval(), CancelledJobs.DEFAULT_WAIT);
    adopt(ended);
    for (ProviderJob job : ended) {
      if (!allHeld(List.of(job))) {
        continue;
      }
      try {
        apply(job, batch.request());
        store.saveProviderJob(job.asApplied());
      } catch (RuntimeException e) {
        LOG.warn("could not store the answers of cancelled provider job {}; a resume stores them", job.jobId(), e);
      }
    }
  }

  /**
   * Whether another process cancelled the batch (REST, or {@code Cohort.cancel} where this batch
   * does not run): then the run is told, and stops as at an in-process cancel. A store failure
   * answers false: the next look tries again.
   */
  private boolean cancelledInStore(String batchId, Control control) {
    boolean cancelled;
    try {
      cancelled = store.findBatch(batchId).map(b -> b.status() == BatchStatus.CANCELLED).orElse(false);
    } catch (RuntimeException e) {
      LOG.warn("could not read the status of batch {}; will look again", batchId, e);
      return false;
    }
    if (cancelled && !control.stopped()) {
      LOG.info("batch {} was cancelled elsewhere: cancelling its provider jobs", batchId);
      control.cancelledElsewhere();
    }
    return cancelled;
  }

  /**
   * Waits one poll interval for the jobs, looking at the batch's status in the store every quarter
   * lease on the way: a cancel from another process waits for this coordinator to store what the
   * jobs finished, so it should not wait a whole (by default one-minute) poll interval.
   */
  private void pauseWatchingForCancel(String batchId, Control control) throws InterruptedException {
    long slices = Math.max(1, settings.pollInterval().toMillis() / Math.max(1, pollSlice().toMillis()));
    Duration slice = settings.pollInterval().dividedBy(slices);
    for (long i = 0; i < slices && !control.stopped(); i++) {
      control.pause(slice);
      if (cancelledInStore(batchId, control)) {
        return;
      }
    }
  }

  private void publishLeases() {
    List<Lease> now = new ArrayList<>(held.size());
    for (Slot slot : held.values()) {
      now.add(slot.claimed.lease());
    }
    leases = List.copyOf(now);
  }
}
