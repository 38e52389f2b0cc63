package dev.cohort.reliability;

import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.TurnResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Passes every call to a real repository and counts the writes it accepted: rounds per
 * (simulation, round) and final results per simulation. A count above one means a result was
 * stored twice (the repository made the write idempotent, but the runner should never have sent
 * it); writes accepted for a batch after it was deleted are counted apart. A write that failed with
 * an exception is noted as uncertain: the store may have committed it before the failure.
 */
final class RecordingRepository implements RepositoryPort {
  private final RepositoryPort delegate;
  private final Map<String, AtomicInteger> acceptedRounds = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> acceptedFinishes = new ConcurrentHashMap<>();
  private final Set<String> uncertainRounds = ConcurrentHashMap.newKeySet();
  private final Set<String> uncertainFinishes = ConcurrentHashMap.newKeySet();
  private final Map<String, String> batchOfSimulation = new ConcurrentHashMap<>();
  private final Set<String> deletedBatches = ConcurrentHashMap.newKeySet();
  private final AtomicLong writesAfterDelete = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicInteger callsUnderway = new AtomicInteger();
  private final AtomicLong acceptedRoundsTotal = new AtomicLong();
  private volatile Predicate<String> outage = operation -> false;

  RecordingRepository(RepositoryPort delegate) {
    this.delegate = delegate;
  }

  /** How often round {@code round} of the simulation was accepted. */
  int acceptedRounds(String simulationId, int round) {
    AtomicInteger n = acceptedRounds.get(roundKey(simulationId, round));
    return n == null ? 0 : n.get();
  }

  /**
   * Whether a write of the round failed with an exception. The store may still have committed it
   * (the connection broke after the commit, say): such a round may be stored without an accepted
   * write.
   */
  boolean roundUncertain(String simulationId, int round) {
    return uncertainRounds.contains(roundKey(simulationId, round));
  }

  /** How a round is named in the counts: {@code id#round}. */
  private static String roundKey(String simulationId, int round) {
    return simulationId + "#" + round;
  }

  /** Whether a write of the simulation's final result failed with an exception; see {@link #roundUncertain}. */
  boolean finishUncertain(String simulationId) {
    return uncertainFinishes.contains(simulationId);
  }

  /** The highest round of the simulation accepted, 0 when none was. */
  int highestAcceptedRound(String simulationId) {
    int highest = 0;
    for (String key : acceptedRounds.keySet()) {
      if (key.startsWith(simulationId + "#")) {
        highest = Math.max(highest, Integer.parseInt(key.substring(key.indexOf('#') + 1)));
      }
    }
    return highest;
  }

  /**
   * Makes the runner's store calls fail, as a database outage would, while {@code failing}
   * answers true for the operation's name ({@code claim}, {@code findBatch}, {@code recordRound}…).
   */
  void simulateOutage(Predicate<String> failing) {
    this.outage = failing;
  }

  /** How many round writes were accepted in all. */
  long acceptedRoundsTotal() {
    return acceptedRoundsTotal.get();
  }

  /** Every (simulation, round) accepted more than once, as {@code id#round}. */
  List<String> duplicateRounds() {
    return acceptedRounds.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted()
        .toList();
  }

  /** How often a final result of the simulation was accepted. */
  int acceptedFinishes(String simulationId) {
    AtomicInteger n = acceptedFinishes.get(simulationId);
    return n == null ? 0 : n.get();
  }

  /** Writes accepted for simulations of a batch after {@link #deleteBatch} returned for it. */
  long writesAfterDelete() {
    return writesAfterDelete.get();
  }

  /** Calls of the runner (claims, renewals, reads and writes of results) that the store failed with an exception. */
  long failedCalls() {
    return failedCalls.get();
  }

  /**
   * Calls of the runner (as for {@link #failedCalls}) that have started and not yet returned: while
   * the database is locked, those waiting for it.
   */
  int callsUnderway() {
    return callsUnderway.get();
  }

  @Override
  public void saveEntities(Collection<Entity> entities) {
    delegate.saveEntities(entities);
  }

  @Override
  public Optional<Entity> findEntity(String id) {
    return delegate.findEntity(id);
  }

  @Override
  public List<Entity> findEntities(Collection<String> ids) {
    return delegate.findEntities(ids);
  }

  @Override
  public List<Entity> listEntities() {
    return delegate.listEntities();
  }

  @Override
  public boolean deleteEntity(String id) {
    return delegate.deleteEntity(id);
  }

  @Override
  public void createBatch(Batch batch, Iterator<? extends Simulation> simulations) {
    delegate.createBatch(batch, simulations);
  }

  @Override
  public void appendSimulations(String batchId, dev.cohort.core.batch.BatchRequest request, long requestedSimulations,
      long plannedSimulations, Iterator<? extends Simulation> simulations) {
    delegate.appendSimulations(batchId, request, requestedSimulations, plannedSimulations, simulations);
  }

  @Override
  public List<String> deleteUnpublishedBatches(Instant createdBefore) {
    return delegate.deleteUnpublishedBatches(createdBefore);
  }

  @Override
  public Optional<Batch> findBatch(String batchId) {
    return counted("findBatch", () -> delegate.findBatch(batchId));
  }

  @Override
  public List<Batch> listBatches(int offset, int limit) {
    return delegate.listBatches(offset, limit);
  }

  @Override
  public List<String> findBatchIds(Set<BatchStatus> statuses) {
    return delegate.findBatchIds(statuses);
  }

  @Override
  public boolean transitionBatch(String batchId, Set<BatchStatus> from, BatchStatus to, @Nullable String error) {
    return delegate.transitionBatch(batchId, from, to, error);
  }

  @Override
  public boolean deleteBatch(String batchId) {
    boolean deleted = delegate.deleteBatch(batchId);
    deletedBatches.add(batchId);
    return deleted;
  }

  @Override
  public Optional<Simulation> findSimulation(String simulationId) {
    return delegate.findSimulation(simulationId);
  }

  @Override
  public void forEachSimulation(String batchId, Consumer<? super Simulation> action) {
    delegate.forEachSimulation(batchId, action);
  }

  @Override
  public List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    List<ClaimedSimulation> claimed = counted("claim",
        () -> delegate.claim(batchId, owner, max, leaseDuration, excludedModels));
    for (ClaimedSimulation c : claimed) {
      batchOfSimulation.put(c.simulation().id(), batchId);
    }
    return claimed;
  }

  @Override
  public List<HeldLease> findLiveLeases(String batchId) {
    return counted("findLiveLeases", () -> delegate.findLiveLeases(batchId));
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    return counted("renew", () -> delegate.renew(leases, leaseDuration));
  }

  @Override
  public boolean recordTurn(Lease lease, TurnResult turn) {
    return counted("recordTurn", () -> delegate.recordTurn(lease, turn));
  }

  @Override
  public boolean recordRound(Lease lease, RoundResult round) {
    boolean accepted =
        roundWritten(lease, round, () -> counted("recordRound", () -> delegate.recordRound(lease, round)));
    if (accepted) {
      noteIfDeleted(lease);
    }
    return accepted;
  }

  /** Runs a write that stores {@code round} of {@code lease}'s simulation, counting it as that round's. */
  private boolean roundWritten(Lease lease, RoundResult round, Supplier<Boolean> write) {
    String key = roundKey(lease.simulationId(), round.round());
    boolean accepted;
    try {
      accepted = write.get();
    } catch (RuntimeException e) {
      uncertainRounds.add(key);
      throw e;
    }
    if (accepted) {
      acceptedRounds.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      acceptedRoundsTotal.incrementAndGet();
    }
    return accepted;
  }

  @Override
  public boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    return finished(lease, () -> delegate.finish(lease, status, error, unrecordedUsage, unrecordedCostUsd));
  }

  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags) {
    // The store's own one-write path, as the runner uses it.
    return finished(lease, () -> delegate.finishCompleted(lease, flags));
  }

  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags, List<Turn> turns) {
    return finished(lease, () -> delegate.finishCompleted(lease, flags, turns));
  }

  @Override
  public boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    // One write of the store's that is both a round and a finish: counted as each. A refusal may
    // still have stored the round (the port allows a store to write it, then find the lease lost).
    boolean accepted = roundWritten(lease, lastRound,
        () -> finished(lease, () -> delegate.finishCompleted(lease, lastRound, flags, turns)));
    if (!accepted) {
      uncertainRounds.add(roundKey(lease.simulationId(), lastRound.round()));
    }
    return accepted;
  }

  /** Runs a write that finishes {@code lease}'s simulation, counting it as a finish. */
  private boolean finished(Lease lease, Supplier<Boolean> write) {
    boolean accepted;
    try {
      accepted = counted("finish", write);
    } catch (RuntimeException e) {
      uncertainFinishes.add(lease.simulationId());
      throw e;
    }
    if (accepted) {
      acceptedFinishes.computeIfAbsent(lease.simulationId(), k -> new AtomicInteger()).incrementAndGet();
      noteIfDeleted(lease);
    }
    return accepted;
  }

  @Override
  public boolean release(Lease lease) {
    return counted("release", () -> delegate.release(lease));
  }

  @Override
  public boolean unclaim(Lease lease) {
    return counted("unclaim", () -> delegate.unclaim(lease));
  }

  @Override
  public long cancelUnfinished(String batchId) {
    return delegate.cancelUnfinished(batchId);
  }

  @Override
  public long requeueCancelled(String batchId) {
    return delegate.requeueCancelled(batchId);
  }

  @Override
  public void recordFlags(String simulationId, List<QualityFlag> flags) {
    delegate.recordFlags(simulationId, flags);
  }

  @Override
  public void recordFlags(Map<String, List<QualityFlag>> flagsById) {
    delegate.recordFlags(flagsById);
  }

  @Override
  public long requeueFailed(String batchId) {
    return delegate.requeueFailed(batchId);
  }

  @Override
  public boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    return counted("recordOutcomes", () -> delegate.recordOutcomes(lease, outcomes));
  }

  @Override
  public long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    return counted("requeueForOutcomes", () -> delegate.requeueForOutcomes(batchId, request, cleared));
  }

  private <T> T counted(String operation, Supplier<T> call) {
    callsUnderway.incrementAndGet();
    try {
      if (outage.test(operation)) {
        throw new CohortException("could not " + operation + ": simulated database outage");
      }
      return call.get();
    } catch (RuntimeException e) {
      failedCalls.incrementAndGet();
      throw e;
    } finally {
      callsUnderway.decrementAndGet();
    }
  }

  private void noteIfDeleted(Lease lease) {
    String batchId = batchOfSimulation.get(lease.simulationId());
    if (batchId != null && deletedBatches.contains(batchId)) {
      writesAfterDelete.incrementAndGet();
    }
  }

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    return delegate.reserveSpend(lease, costUsd, tokens, maxCostUsd, maxTotalTokens);
  }

  @Override
  public void settleSpend(Lease lease, double costUsd, long tokens) {
    delegate.settleSpend(lease, costUsd, tokens);
  }

  @Override
  public dev.cohort.core.port.BatchSpend spentOn(String batchId) {
    return delegate.spentOn(batchId);
  }

  @Override
  public boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    return delegate.updateBudget(batchId, maxCostUsd, maxTotalTokens);
  }

  @Override
  public boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    return counted("appendAttempt", () -> delegate.appendAttempt(lease, setAside, keptTurns, rerunUsage, rerunCostUsd));
  }
}
