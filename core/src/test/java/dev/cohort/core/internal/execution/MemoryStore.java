package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.codec.FlagsText;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.TurnResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A small in-memory repository for core's own tests (core cannot use {@code cohort-inmemory}: that
 * module depends on core). Leases expire on the injected clock, so tests move time themselves.
 * Every method is synchronized; it keeps the work-queue contract, not the adapters' performance.
 */
public final class MemoryStore implements RepositoryPort {
  private final Clock clock;
  private final Map<String, Entity> entities = new TreeMap<>();
  private final Map<String, Batch> batches = new LinkedHashMap<>();
  private final Map<String, Row> simulations = new LinkedHashMap<>();
  /** Every (simulation id, round) recorded, so recording is idempotent per round. */
  private final Set<String> rounds = new HashSet<>();
  private final Set<String> turnsRecorded = new HashSet<>();
  private int releases;
  private int unclaims;

  /** A stored simulation and the lease on it. */
  private static final class Row {
    Simulation simulation;
    @Nullable String owner;
    long version;
    Instant expiry = Instant.MIN;

    Row(Simulation simulation) {
      this.simulation = simulation;
    }
  }

  public MemoryStore(Clock clock) {
    this.clock = clock;
  }

  /** How many leases were given back with {@link #release}. */
  synchronized int releases() {
    return releases;
  }

  /** Simulations given back unstarted, their claims undone. */
  synchronized int unclaims() {
    return unclaims;
  }

  /** Replaces each simulation of the batch with what {@code change} makes of it (say, its planned model). */
  synchronized void plan(String batchId, java.util.function.UnaryOperator<Simulation> change) {
    for (Row r : simulations.values()) {
      if (r.simulation.batchId().equals(batchId)) {
        r.simulation = change.apply(r.simulation);
      }
    }
  }

  /** The simulations of the batch held under a lease right now. */
  synchronized long leased(String batchId) {
    return simulations.values().stream()
        .filter(r -> r.simulation.batchId().equals(batchId) && r.owner != null).count();
  }

  @Override
  public synchronized void saveEntities(Collection<Entity> list) {
    list.forEach(e -> entities.put(e.id(), e));
  }

  @Override
  public synchronized Optional<Entity> findEntity(String id) {
    return Optional.ofNullable(entities.get(id));
  }

  @Override
  public synchronized List<Entity> findEntities(Collection<String> ids) {
    List<Entity> found = new ArrayList<>();
    for (String id : ids) {
      Entity e = entities.get(id);
      if (e != null) {
        found.add(e);
      }
    }
    return found;
  }

  @Override
  public synchronized List<Entity> listEntities() {
    return List.copyOf(entities.values());
  }

  @Override
  public synchronized boolean deleteEntity(String id) {
    return entities.remove(id) != null;
  }

  @Override
  public synchronized void createBatch(Batch batch, Iterator<? extends Simulation> source) {
    if (batches.containsKey(batch.id())) {
      throw new IllegalArgumentException("batch " + batch.id() + " exists");
    }
    batches.put(batch.id(), batch);
    source.forEachRemaining(s -> simulations.put(s.id(), new Row(s)));
  }

  @Override
  public synchronized void appendSimulations(String batchId, dev.cohort.core.batch.BatchRequest request,
      long requestedSimulations, long plannedSimulations, Iterator<? extends Simulation> source) {
    Batch b = batches.get(batchId);
    if (b == null) {
      throw new dev.cohort.core.batch.NotFoundException("batch", batchId);
    }
    batches.put(batchId, new Batch(b.id(), b.status(), request, requestedSimulations, plannedSimulations,
        b.entities(), b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), b.counts(), b.usage(), List.of()));
    source.forEachRemaining(s -> simulations.put(s.id(), new Row(s)));
  }

  /** Creation here is one synchronized step, so nothing is ever left unpublished. */
  @Override
  public List<String> deleteUnpublishedBatches(Instant createdBefore) {
    return List.of();
  }

  @Override
  public synchronized Optional<Batch> findBatch(String batchId) {
    Batch b = batches.get(batchId);
    if (b == null) {
      return Optional.empty();
    }
    BatchCounts counts = BatchCounts.EMPTY;
    TokenUsage usage = TokenUsage.ZERO;
    FlagsText.Tally flags = new FlagsText.Tally();
    for (Row r : simulations.values()) {
      if (r.simulation.batchId().equals(batchId)) {
        counts = counts.plus(r.simulation.status());
        usage = usage.plus(r.simulation.usage());
        flags.add(r.simulation.flags(), 1);
      }
    }
    return Optional.of(new Batch(b.id(), b.status(), b.request(), b.requestedSimulations(), b.plannedSimulations(),
        b.entities(), b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), counts, usage, List.of(),
        null, flags.toMap()));
  }

  @Override
  public synchronized List<Batch> listBatches(int offset, int limit) {
    List<Batch> all = new ArrayList<>();
    for (String id : batches.keySet()) {
      findBatch(id).ifPresent(all::add);
    }
    all.sort(Comparator.comparing(Batch::createdAt).reversed());
    return all.subList(Math.min(offset, all.size()), (int) Math.min(all.size(), (long) offset + limit));
  }

  @Override
  public synchronized List<String> findBatchIds(Set<BatchStatus> statuses) {
    return batches.values().stream().filter(b -> statuses.contains(b.status())).map(Batch::id).toList();
  }

  @Override
  public synchronized boolean transitionBatch(String batchId, Set<BatchStatus> from, BatchStatus to,
      @Nullable String error) {
    Batch b = batches.get(batchId);
    if (b == null || !from.contains(b.status())) {
      return false;
    }
    Instant now = clock.instant();
    boolean starting = to == BatchStatus.IN_PROGRESS;
    batches.put(batchId, new Batch(b.id(), to, b.request(), b.requestedSimulations(), b.plannedSimulations(),
        b.entities(), b.createdAt(), starting && b.startedAt() == null ? now : b.startedAt(),
        to.isTerminal() ? now : null, starting ? null : error, b.counts(), b.usage(), List.of()));
    return true;
  }

  @Override
  public synchronized boolean deleteBatch(String batchId) {
    simulations.values().removeIf(r -> r.simulation.batchId().equals(batchId));
    return batches.remove(batchId) != null;
  }

  @Override
  public synchronized Optional<Simulation> findSimulation(String simulationId) {
    Row r = simulations.get(simulationId);
    return r == null ? Optional.empty() : Optional.of(r.simulation);
  }

  @Override
  public void forEachSimulation(String batchId, Consumer<? super Simulation> action) {
    List<Simulation> list;
    synchronized (this) {
      list = simulations.values().stream().map(r -> r.simulation).filter(s -> s.batchId().equals(batchId))
          .sorted(Comparator.comparingInt(Simulation::sequenceNumber)).toList();
    }
    list.forEach(action);
  }

  @Override
  public synchronized List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    Instant now = clock.instant();
    List<ClaimedSimulation> claimed = new ArrayList<>();
    List<Row> rows = simulations.values().stream().filter(r -> r.simulation.batchId().equals(batchId))
        .sorted(Comparator.comparingInt(r -> r.simulation.sequenceNumber())).toList();
    for (Row r : rows) {
      if (claimed.size() >= max) {
        break;
      }
      SimulationStatus status = r.simulation.status();
      boolean expired = status == SimulationStatus.RUNNING && !r.expiry.isAfter(now);
      if (status != SimulationStatus.PENDING && !expired) {
        continue;
      }
      String planned = r.simulation.plannedModel();
      if (planned != null && excludedModels.contains(planned)) {
        continue;
      }
      Simulation s = r.simulation;
      r.simulation = with(s, SimulationStatus.RUNNING, s.turns(), null, s.attempts() + 1, s.usage(),
          s.startedAt() == null ? now : s.startedAt(), null);
      r.owner = owner;
      r.version++;
      r.expiry = now.plus(leaseDuration);
      claimed.add(new ClaimedSimulation(r.simulation, new Lease(s.id(), owner, r.version)));
    }
    return claimed;
  }

  @Override
  public synchronized List<HeldLease> findLiveLeases(String batchId) {
    Instant now = clock.instant();
    List<HeldLease> live = new ArrayList<>();
    for (Row r : simulations.values()) {
      Simulation s = r.simulation;
      if (s.batchId().equals(batchId) && s.status() == SimulationStatus.RUNNING && r.owner != null
          && r.expiry.isAfter(now)) {
        live.add(new HeldLease(s.id(), r.owner, r.expiry));
      }
    }
    live.sort(Comparator.comparing(h -> simulations.get(h.simulationId()).simulation.sequenceNumber()));
    return live;
  }

  @Override
  public synchronized Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    Set<String> lost = new HashSet<>();
    for (Lease lease : leases) {
      Row r = held(lease);
      if (r == null) {
        lost.add(lease.simulationId());
      } else {
        r.expiry = clock.instant().plus(leaseDuration);
      }
    }
    return lost;
  }

  @Override
  public synchronized boolean recordRound(Lease lease, RoundResult round) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    if (rounds.add(lease.simulationId() + "#" + round.round())) {
      Simulation s = r.simulation;
      List<Turn> turns = new ArrayList<>(s.turns());
      turns.addAll(round.turns());
      r.simulation = with(s, s.status(), turns, null, s.attempts(), s.usage().plus(round.usage()), s.startedAt(),
          null).withCostUsd(dev.cohort.core.spend.CostSum.plus(s.costUsd(), round.costUsd()));
    }
    return true;
  }

  @Override
  public synchronized boolean recordTurn(Lease lease, TurnResult turn) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    if (turnsRecorded.add(lease.simulationId() + "#" + turn.turn().turnNumber())) {
      Simulation s = r.simulation;
      List<Turn> turns = new ArrayList<>(s.turns());
      turns.add(turn.turn());
      r.simulation = with(s, s.status(), turns, null, s.attempts(), s.usage().plus(turn.usage()), s.startedAt(),
          null);
    }
    return true;
  }

  @Override
  public synchronized boolean finish(Lease lease, SimulationStatus status, @Nullable String error,
      TokenUsage unrecordedUsage, @Nullable Double unrecordedCostUsd) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    Simulation s = r.simulation;
    r.simulation = with(s, status, s.turns(), error, s.attempts(), s.usage().plus(unrecordedUsage), s.startedAt(),
        clock.instant()).withCostUsd(dev.cohort.core.spend.CostSum.plus(s.costUsd(), unrecordedCostUsd));
    r.owner = null;
    return true;
  }

  @Override
  public synchronized boolean release(Lease lease) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    r.simulation = pending(r.simulation);
    r.owner = null;
    releases++;
    return true;
  }

  @Override
  public synchronized boolean unclaim(Lease lease) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    Simulation s = r.simulation;
    int attempts = s.attempts() - 1;
    // As a release, with the claim's attempt taken back (and its startedAt, if it was the first).
    r.simulation = pending(with(s, s.status(), s.turns(), s.error(), attempts, s.usage(),
        attempts == 0 ? null : s.startedAt(), s.finishedAt()));
    r.owner = null;
    unclaims++;
    return true;
  }

  @Override
  public synchronized long cancelUnfinished(String batchId) {
    return rewrite(batchId, s -> s.status().isUnfinished(), r -> {
      Simulation s = r.simulation;
      r.simulation = with(s, SimulationStatus.CANCELLED, s.turns(), null, s.attempts(), s.usage(), s.startedAt(),
          clock.instant());
      r.owner = null;
      r.version++;
    });
  }

  @Override
  public synchronized long requeueCancelled(String batchId) {
    return rewrite(batchId, s -> s.status() == SimulationStatus.CANCELLED, r -> r.simulation = pending(r.simulation));
  }

  /** Replaces a simulation's turns, as a rerun would: for tests of passes over stored transcripts. */
  public synchronized void replaceTurnsForTest(String simulationId, List<Turn> turns) {
    Row r = simulations.get(simulationId);
    if (r != null) {
      r.simulation = with(r.simulation, r.simulation.status(), turns, r.simulation.error(), r.simulation.attempts(),
          r.simulation.usage(), r.simulation.startedAt(), r.simulation.finishedAt());
    }
  }

  @Override
  public synchronized void recordFlags(String simulationId, List<QualityFlag> flags) {
    Row r = simulations.get(simulationId);
    if (r != null) {
      r.simulation = r.simulation.withFlags(flags);
    }
  }

  @Override
  public synchronized long requeueFailed(String batchId) {
    return rewrite(batchId, s -> s.status() == SimulationStatus.FAILED, r -> {
      Simulation s = r.simulation;
      List<FailedAttempt> history = new ArrayList<>(s.attemptHistory());
      history.add(new FailedAttempt(s.attempts(), String.valueOf(s.error()), s.finishedAt()));
      r.simulation = pending(s).withAttemptHistory(history);
    });
  }

  @Override
  public synchronized boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    Simulation s = r.simulation;
    List<Turn> turns = s.turns();
    if (keptTurns != null) {
      turns = keptTurns;
      rounds.removeIf(key -> key.startsWith(lease.simulationId() + "#"));
      turnsRecorded.removeIf(key -> key.startsWith(lease.simulationId() + "#"));
      for (Turn t : keptTurns) {
        rounds.add(lease.simulationId() + "#" + t.round());
        turnsRecorded.add(lease.simulationId() + "#" + t.turnNumber());
      }
    }
    List<FailedAttempt> history = new ArrayList<>(s.attemptHistory());
    history.add(setAside);
    r.simulation = with(s, s.status(), turns, s.error(), s.attempts(), s.usage().plus(rerunUsage), s.startedAt(),
        s.finishedAt()).withCostUsd(dev.cohort.core.spend.CostSum.plus(s.costUsd(), rerunCostUsd))
        .withAttemptHistory(history);
    return true;
  }

  /** Applies {@code change} to each row of the batch whose simulation {@code which} selects; returns how many. */
  private long rewrite(String batchId, Predicate<Simulation> which, Consumer<Row> change) {
    long changed = 0;
    for (Row r : simulations.values()) {
      if (r.simulation.batchId().equals(batchId) && which.test(r.simulation)) {
        change.accept(r);
        changed++;
      }
    }
    return changed;
  }

  /** The simulation waiting to run again: pending, its error and finish time cleared, its turns kept. */
  private static Simulation pending(Simulation s) {
    return with(s, SimulationStatus.PENDING, s.turns(), null, s.attempts(), s.usage(), s.startedAt(), null);
  }

  @Override
  public synchronized boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    Row r = held(lease);
    if (r == null) {
      return false;
    }
    Simulation s = r.simulation;
    Map<String, @Nullable Object> values = new LinkedHashMap<>(s.outcomes());
    values.putAll(outcomes.values());
    r.simulation = with(s, s.status(), s.turns(), s.error(), s.attempts(), s.usage().plus(outcomes.usage()),
        s.startedAt(), s.finishedAt()).withOutcomes(values, outcomes.error(), outcomes.extraction());
    return true;
  }

  @Override
  public synchronized long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    Batch b = batches.get(batchId);
    if (b == null) {
      return 0;
    }
    batches.put(batchId, new Batch(b.id(), b.status(), request, b.requestedSimulations(), b.plannedSimulations(),
        b.entities(), b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), b.counts(), b.usage(), List.of()));
    long requeued = 0;
    for (Row r : simulations.values()) {
      Simulation s = r.simulation;
      if (s.batchId().equals(batchId) && s.status() == SimulationStatus.COMPLETED) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>(s.outcomes());
        if (cleared == null) {
          values.clear();
        } else {
          values.keySet().removeAll(cleared);
        }
        r.owner = null;
        r.simulation = with(s, SimulationStatus.PENDING, s.turns(), s.error(), s.attempts(), s.usage(), s.startedAt(),
            null).withOutcomes(values, null, s.outcomeExtraction());
        requeued++;
      }
    }
    return requeued;
  }

  /** The row if {@code lease} still holds it: running, same owner, same version. */
  private @Nullable Row held(Lease lease) {
    Row r = simulations.get(lease.simulationId());
    boolean holds = r != null && r.simulation.status() == SimulationStatus.RUNNING
        && lease.owner().equals(r.owner) && lease.version() == r.version;
    return holds ? r : null;
  }

  private static Simulation with(Simulation s, SimulationStatus status, List<Turn> turns, @Nullable String error,
      int attempts, TokenUsage usage, @Nullable Instant startedAt, @Nullable Instant finishedAt) {
    return new Simulation(s.id(), s.batchId(), s.sequenceNumber(), s.entityIds(), s.speakingOrder(), status, turns,
        error, attempts, usage, s.model(), s.finalTurnNumber(), s.createdAt(), startedAt, finishedAt,
        s.attemptHistory(), s.costUsd(), s.outcomes(), s.outcomeError(), s.outcomeExtraction(), s.flags(),
        s.systemFingerprint(), s.turnsSha256(), s.finishedBy()).withPlannedModel(s.plannedModel());
  }

  // The runner uses the spend ledger only for batches with a budget; these tests run none.

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    throw new UnsupportedOperationException("budgets are tested against the real repositories");
  }

  @Override
  public void settleSpend(Lease lease, double costUsd, long tokens) {
    throw new UnsupportedOperationException("budgets are tested against the real repositories");
  }

  @Override
  public dev.cohort.core.port.BatchSpend spentOn(String batchId) {
    return dev.cohort.core.port.BatchSpend.NONE;
  }

  @Override
  public boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    throw new UnsupportedOperationException("budgets are tested against the real repositories");
  }
}
