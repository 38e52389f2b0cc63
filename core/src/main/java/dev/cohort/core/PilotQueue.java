package dev.cohort.core;

import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.TurnResult;
import dev.cohort.core.port.WorkQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The work queue a pilot runs through: the store's own, except that it hands out only the first
 * {@code size} simulations of a new batch (claims come lowest sequence number first) and says
 * when all of them have finished. A simulation given back may be claimed again. The runner itself
 * is unchanged: once the pilot's simulations are claimed it finds nothing more to claim and waits,
 * until {@link Cohort#runPilot} closes it. A claim that leaves out models at their own in-flight
 * limit is passed on as it is, so the pilot's simulations are then the first of the models with
 * room rather than strictly the batch's first.
 */
final class PilotQueue implements WorkQueue {
  private final WorkQueue queue;
  private final int size;
  private int claimed;
  private int finished;

  PilotQueue(WorkQueue queue, int size) {
    this.queue = queue;
    this.size = size;
  }

  /** Waits up to {@code timeout} for the pilot's simulations to finish; returns whether they have. */
  synchronized boolean awaitPilot(Duration timeout) throws InterruptedException {
    if (finished < size) {
      wait(Math.max(1, timeout.toMillis()));
    }
    return finished >= size;
  }

  /** How many of the pilot's simulations have finished. */
  synchronized int finished() {
    return finished;
  }

  @Override
  public synchronized List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    int allowed = Math.min(max, size - claimed);
    if (allowed <= 0) {
      return List.of();
    }
    List<ClaimedSimulation> got = queue.claim(batchId, owner, allowed, leaseDuration, excludedModels);
    claimed += got.size();
    return got;
  }

  @Override
  public List<HeldLease> findLiveLeases(String batchId) {
    return queue.findLiveLeases(batchId);
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    return queue.renew(leases, leaseDuration);
  }

  @Override
  public boolean recordRound(Lease lease, RoundResult round) {
    return queue.recordRound(lease, round);
  }

  @Override
  public boolean recordTurn(Lease lease, TurnResult turn) {
    return queue.recordTurn(lease, turn);
  }

  @Override
  public boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    return counted(queue.finish(lease, status, error, unrecordedUsage, unrecordedCostUsd));
  }

  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags) {
    return counted(queue.finishCompleted(lease, flags));
  }

  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags, List<Turn> turns) {
    return counted(queue.finishCompleted(lease, flags, turns));
  }

  @Override
  public boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    return counted(queue.finishCompleted(lease, lastRound, flags, turns));
  }

  /** Counts a simulation that {@code done} says was finished, and wakes whoever waits for it. */
  private boolean counted(boolean done) {
    if (done) {
      synchronized (this) {
        finished++;
        notifyAll();
      }
    }
    return done;
  }

  @Override
  public boolean release(Lease lease) {
    return givenBack(queue.release(lease));
  }

  @Override
  public boolean unclaim(Lease lease) {
    return givenBack(queue.unclaim(lease));
  }

  /** Counts a simulation that {@code given} says went back to the queue as no longer claimed. */
  private boolean givenBack(boolean given) {
    if (given) {
      synchronized (this) {
        claimed--;
      }
    }
    return given;
  }

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    return queue.reserveSpend(lease, costUsd, tokens, maxCostUsd, maxTotalTokens);
  }

  @Override
  public void settleSpend(Lease lease, double costUsd, long tokens) {
    queue.settleSpend(lease, costUsd, tokens);
  }

  @Override
  public BatchSpend spentOn(String batchId) {
    return queue.spentOn(batchId);
  }

  @Override
  public boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    return queue.recordOutcomes(lease, outcomes);
  }

  @Override
  public long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    return queue.requeueForOutcomes(batchId, request, cleared);
  }

  @Override
  public void recordFlags(String simulationId, List<QualityFlag> flags) {
    queue.recordFlags(simulationId, flags);
  }

  @Override
  public void recordFlags(Map<String, List<QualityFlag>> flagsById) {
    queue.recordFlags(flagsById);
  }


  @Override
  public long cancelUnfinished(String batchId) {
    return queue.cancelUnfinished(batchId);
  }

  @Override
  public long requeueCancelled(String batchId) {
    return queue.requeueCancelled(batchId);
  }

  @Override
  public long requeueFailed(String batchId) {
    return queue.requeueFailed(batchId);
  }

  @Override
  public boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    return queue.appendAttempt(lease, setAside, keptTurns, rerunUsage, rerunCostUsd);
  }

  @Override
  public boolean acquireCoordinator(String batchId, String owner, Duration leaseDuration) {
    return queue.acquireCoordinator(batchId, owner, leaseDuration);
  }

  @Override
  public boolean renewCoordinator(String batchId, String owner, Duration leaseDuration) {
    return queue.renewCoordinator(batchId, owner, leaseDuration);
  }

  @Override
  public void releaseCoordinator(String batchId, String owner) {
    queue.releaseCoordinator(batchId, owner);
  }

  @Override
  public Optional<String> findCoordinator(String batchId) {
    return queue.findCoordinator(batchId);
  }
}
