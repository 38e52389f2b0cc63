package dev.cohort.inmemory;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One batch as {@link InMemoryRepository} keeps it, with the indexes that make a claim cost
 * O(log n) instead of a scan: the sequence numbers that can be claimed now, and the live leases
 * ordered by expiry so expired ones are found at the head. Counts and usage are kept current on
 * every change rather than summed on reads. Guarded by the repository's lock.
 *
 * <p>Invariant: a {@code PENDING} simulation's sequence number is in {@link #runnable}; a {@code
 * RUNNING} one is in {@link #leased} under its expiry, or in {@link #runnable} once that expiry has
 * been seen to pass; a simulation in a final status is in neither.
 */
final class StoredBatch {
  /** A live lease, ordered by when it expires, then by sequence number. */
  record LeaseExpiry(Instant expiresAt, int sequence) implements Comparable<LeaseExpiry> {
    @Override
    public int compareTo(LeaseExpiry other) {
      int byTime = expiresAt.compareTo(other.expiresAt);
      return byTime != 0 ? byTime : Integer.compare(sequence, other.sequence);
    }
  }

  /** A call's estimated spend, held while the lease it was taken under is live. */
  record Reservation(dev.cohort.core.port.Lease lease, double costUsd, long tokens) {}

  Batch batch;
  /** What settled calls spent: the budget's ledger. */
  double spentUsd;
  long spentTokens;
  /** Each running simulation's reservation for its call in flight, by simulation id. */
  final java.util.Map<String, Reservation> reservations = new java.util.HashMap<>();
  /** False while {@link InMemoryRepository#createBatch} is still adding simulations: no reader sees it. */
  boolean published;
  final NavigableMap<Integer, StoredSimulation> bySequence = new TreeMap<>();
  final NavigableSet<Integer> runnable = new TreeSet<>();
  final NavigableSet<LeaseExpiry> leased = new TreeSet<>();
  private final long[] counts = new long[SimulationStatus.values().length];
  private long promptTokens;
  private long completionTokens;
  private long cachedTokens;
  private long calls;
  /** The sum of the known simulation costs; the batch's cost only while {@link #unknownCosts} is 0. */
  private double costUsd;
  /** How many simulations have an unknown cost: any makes the batch's cost unknown. */
  private long unknownCosts;
  /** Simulations carrying each quality flag, by the flag's ordinal. */
  private final long[] flagCounts = new long[QualityFlag.values().length];
  private long cacheHits;

  StoredBatch(Batch batch) {
    this.batch = batch;
  }

  /** Adds a simulation when the batch is created. */
  void add(StoredSimulation stored) {
    bySequence.put(stored.sequence(), stored);
    account(stored.current, 1);
    if (stored.current.status().isUnfinished()) {
      // A simulation stored as RUNNING has no lease here, so it is as claimable as a pending one.
      runnable.add(stored.sequence());
    }
  }

  /** Replaces the stored value of a simulation, keeping counts and usage in step. */
  void update(StoredSimulation stored, Simulation next) {
    account(stored.current, -1);
    account(next, 1);
    stored.current = next;
  }

  /** Gives the simulation a lease until {@code expiresAt}, wherever it was scheduled before. */
  void lease(StoredSimulation stored, String owner, Instant expiresAt) {
    unschedule(stored);
    stored.owner = owner;
    stored.expiresAt = expiresAt;
    leased.add(new LeaseExpiry(expiresAt, stored.sequence()));
  }

  /** Clears the simulation's lease; {@code runnable} says whether it can be claimed again. */
  void clearLease(StoredSimulation stored, boolean runnableAgain) {
    unschedule(stored);
    stored.owner = null;
    stored.expiresAt = null;
    if (runnableAgain) {
      runnable.add(stored.sequence());
    }
  }

  /** Moves every lease that expired at or before {@code now} to the claimable set. */
  void promoteExpired(Instant now) {
    while (!leased.isEmpty() && !leased.first().expiresAt().isAfter(now)) {
      runnable.add(leased.pollFirst().sequence());
    }
  }

  /** The simulations that are pending or running, in sequence order. */
  List<StoredSimulation> unfinished() {
    TreeSet<Integer> sequences = new TreeSet<>(runnable);
    for (LeaseExpiry lease : leased) {
      sequences.add(lease.sequence());
    }
    List<StoredSimulation> out = new ArrayList<>(sequences.size());
    for (int sequence : sequences) {
      out.add(bySequence.get(sequence));
    }
    return out;
  }

  /** The batch as readers see it: current counts and usage, no simulations. */
  Batch view() {
    BatchCounts current = new BatchCounts(
        counts[SimulationStatus.PENDING.ordinal()],
        counts[SimulationStatus.RUNNING.ordinal()],
        counts[SimulationStatus.COMPLETED.ordinal()],
        counts[SimulationStatus.FAILED.ordinal()],
        counts[SimulationStatus.CANCELLED.ordinal()]);
    TokenUsage usage = new TokenUsage(promptTokens, completionTokens, cachedTokens, calls, cacheHits);
    return new Batch(batch.id(), batch.status(), batch.request(), batch.requestedSimulations(),
        batch.plannedSimulations(), batch.entities(), batch.createdAt(), batch.startedAt(),
        batch.finishedAt(), batch.error(), current, usage, List.of(), unknownCosts > 0 ? null : costUsd,
        flagCounts());
  }

  private void unschedule(StoredSimulation stored) {
    runnable.remove(stored.sequence());
    Instant expiresAt = stored.expiresAt;
    if (expiresAt != null) {
      leased.remove(new LeaseExpiry(expiresAt, stored.sequence()));
    }
  }

  private Map<QualityFlag, Long> flagCounts() {
    Map<QualityFlag, Long> map = new EnumMap<>(QualityFlag.class);
    for (QualityFlag f : QualityFlag.values()) {
      map.put(f, flagCounts[f.ordinal()]);
    }
    return map;
  }

  private void account(Simulation simulation, int sign) {
    counts[simulation.status().ordinal()] += sign;
    for (QualityFlag f : simulation.flags()) {
      flagCounts[f.ordinal()] += sign;
    }
    TokenUsage usage = simulation.usage();
    promptTokens += sign * usage.promptTokens();
    completionTokens += sign * usage.completionTokens();
    cachedTokens += sign * usage.cachedTokens();
    calls += sign * usage.calls();
    Double cost = simulation.costUsd();
    if (cost == null) {
      unknownCosts += sign;
    } else {
      costUsd += sign * cost;
    }
    cacheHits += sign * usage.cacheHits();
  }
}
