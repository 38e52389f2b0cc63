package dev.cohort.inmemory;

import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A repository that counts the accepted writes per simulation, to prove each result is stored once. */
final class CountingRepository implements RepositoryPort {
  final RepositoryPort delegate;
  final Map<String, AtomicInteger> acceptedRounds = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> acceptedFinishes = new ConcurrentHashMap<>();
  final AtomicInteger claims = new AtomicInteger();
  /** Runs before each release reaches the delegate; a test sets it to act like a slow store. */
  volatile Consumer<Lease> beforeRelease = lease -> {};
  /** Runs before each spend reservation reaches the delegate; a test sets it to lose a lease there. */
  volatile Consumer<Lease> beforeReserve = lease -> {};

  CountingRepository(RepositoryPort delegate) {
    this.delegate = delegate;
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
    return delegate.findBatch(batchId);
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
    return delegate.deleteBatch(batchId);
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
    List<ClaimedSimulation> claimed = delegate.claim(batchId, owner, max, leaseDuration, excludedModels);
    claims.addAndGet(claimed.size());
    return claimed;
  }

  @Override
  public List<HeldLease> findLiveLeases(String batchId) {
    return delegate.findLiveLeases(batchId);
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    return delegate.renew(leases, leaseDuration);
  }

  @Override
  public boolean recordTurn(Lease lease, TurnResult turn) {
    return delegate.recordTurn(lease, turn);
  }

  @Override
  public boolean recordRound(Lease lease, RoundResult round) {
    boolean accepted = delegate.recordRound(lease, round);
    if (accepted) {
      acceptedRounds.computeIfAbsent(lease.simulationId() + "#" + round.round(), k -> new AtomicInteger())
          .incrementAndGet();
    }
    return accepted;
  }

  @Override
  public boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    boolean accepted = delegate.finish(lease, status, error, unrecordedUsage, unrecordedCostUsd);
    if (accepted) {
      acceptedFinishes.computeIfAbsent(lease.simulationId(), k -> new AtomicInteger()).incrementAndGet();
    }
    return accepted;
  }

  @Override
  public boolean release(Lease lease) {
    beforeRelease.accept(lease);
    return delegate.release(lease);
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
  public long requeueFailed(String batchId) {
    return delegate.requeueFailed(batchId);
  }

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    beforeReserve.accept(lease);
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
  public boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    return delegate.recordOutcomes(lease, outcomes);
  }

  @Override
  public long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    return delegate.requeueForOutcomes(batchId, request, cleared);
  }

  @Override
  public boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    return delegate.appendAttempt(lease, setAside, keptTurns, rerunUsage, rerunCostUsd);
  }
}
