package dev.cohort.inmemory;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.SubmissionIntent;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.spend.CostSum;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.StoreInfo;
import dev.cohort.core.port.TurnResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RepositoryPort} that keeps everything in memory, for tests, benchmarks, examples and
 * runs whose results are exported before the JVM exits. Nothing survives the process.
 *
 * <p>Thread-safe: one lock guards all state. Work on simulations costs O(log n) in the batch's
 * size, except {@link #deleteBatch}, {@link #cancelUnfinished} and {@link #requeueCancelled},
 * which touch every simulation of one batch; {@link #listBatches} and {@link #findBatchIds} walk
 * the batches. A claim takes the lowest runnable
 * sequence numbers from a sorted set and finds expired leases at the head of a set ordered by
 * expiry, so thousands of workers can claim from a batch of hundreds of thousands of simulations
 * without scanning it.
 *
 * <p>Values are stored and handed out as the core's immutable records, so a caller can neither
 * change stored state through a returned value nor through one it passed in. Time comes from the
 * {@link Clock} given to {@link #create(Clock)}; a test can move it to expire leases without
 * sleeping.
 */
public final class InMemoryRepository implements RepositoryPort {
  /** How many simulations {@link #forEachSimulation} copies under the lock at a time. */
  static final int PAGE_SIZE = 512;

  private static final Comparator<Turn> TURN_ORDER =
      Comparator.comparingInt(Turn::round).thenComparingInt(Turn::turnNumber);

  /** Orders batches by creation time, then id. */
  private record BatchKey(Instant createdAt, String id) implements Comparable<BatchKey> {
    @Override
    public int compareTo(BatchKey other) {
      int byTime = createdAt.compareTo(other.createdAt);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final NavigableMap<String, Entity> entities = new TreeMap<>();
  private final Map<String, StoredBatch> batches = new HashMap<>();
  private final NavigableMap<BatchKey, StoredBatch> batchesByAge = new TreeMap<>();
  private final Map<String, StoredSimulation> simulations = new HashMap<>();
  private final Map<String, BatchSeal> seals = new HashMap<>();
  /** Provider batch jobs by batch id, each batch's in submission order (job id keys keep it). */
  private final Map<String, java.util.LinkedHashMap<String, ProviderJob>> providerJobs = new HashMap<>();
  /** Submission intents by batch id, then key, oldest first. */
  private final Map<String, java.util.LinkedHashMap<String, SubmissionIntent>> submissionIntents = new HashMap<>();

  private final CoordinatorLeases coordinators = new CoordinatorLeases();

  private InMemoryRepository(Clock clock) {
    // Timestamps are kept to the millisecond, as the JDBC store keeps them and every JSON form shows them.
    this.clock = Clock.tick(clock, Duration.ofMillis(1));
  }

  /** An empty repository on the system clock (UTC). */
  public static InMemoryRepository create() {
    return create(Clock.systemUTC());
  }

  /** An empty repository that reads the time from {@code clock}: lease expiry and timestamps. */
  public static InMemoryRepository create(Clock clock) {
    return new InMemoryRepository(Objects.requireNonNull(clock, "clock"));
  }

  // ---- entities ----

  @Override
  public void saveEntities(Collection<Entity> entities) {
    List<Entity> copy = List.copyOf(entities);
    lock.lock();
    try {
      for (Entity entity : copy) {
        this.entities.put(entity.id(), entity);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Entity> findEntity(String id) {
    Objects.requireNonNull(id, "id");
    return locked(() -> Optional.ofNullable(entities.get(id)));
  }

  @Override
  public List<Entity> findEntities(Collection<String> ids) {
    List<String> wanted = List.copyOf(ids);
    return locked(() -> {
      List<Entity> found = new ArrayList<>(wanted.size());
      for (String id : wanted) {
        Entity entity = entities.get(id);
        if (entity != null) {
          found.add(entity);
        }
      }
      return List.copyOf(found);
    });
  }

  @Override
  public List<Entity> listEntities() {
    return locked(() -> List.copyOf(entities.values()));
  }

  @Override
  public boolean deleteEntity(String id) {
    Objects.requireNonNull(id, "id");
    return locked(() -> entities.remove(id) != null);
  }

  // ---- batches ----

  /**
   * {@inheritDoc}
   *
   * <p>Takes the lock once per chunk of {@value RepositoryPort#CREATE_CHUNK} simulations, read
   * from {@code simulations} without the lock, so other callers are served while a large batch is
   * being created.
   */
  @Override
  public void createBatch(Batch batch, Iterator<? extends Simulation> simulations) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(simulations, "simulations");
    StoredBatch stored = new StoredBatch(batch.withSimulations(List.of()));
    locked(() -> {
      if (batches.containsKey(batch.id())) {
        throw new IllegalArgumentException("batch " + batch.id() + " already exists");
      }
      batches.put(batch.id(), stored);
      return null;
    });
    try {
      List<Simulation> chunk = new ArrayList<>(CREATE_CHUNK);
      while (simulations.hasNext()) {
        chunk.clear();
        while (chunk.size() < CREATE_CHUNK && simulations.hasNext()) {
          chunk.add(Objects.requireNonNull(simulations.next(), "simulation"));
        }
        locked(() -> {
          checkStillCreating(stored);
          for (Simulation simulation : chunk) {
            add(stored, simulation);
          }
          return null;
        });
      }
      locked(() -> {
        checkStillCreating(stored);
        stored.published = true;
        batchesByAge.put(new BatchKey(batch.createdAt(), batch.id()), stored);
        return null;
      });
    } catch (RuntimeException | Error e) {
      locked(() -> remove(stored));
      throw e;
    }
  }

  /** {@inheritDoc} The new simulations are read into memory first, then added in one locked step. */
  @Override
  public void appendSimulations(String batchId, BatchRequest request, long requestedSimulations,
      long plannedSimulations, Iterator<? extends Simulation> simulations) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(request, "request");
    List<Simulation> added = new ArrayList<>();
    simulations.forEachRemaining(s -> added.add(Objects.requireNonNull(s, "simulation")));
    locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        throw new NotFoundException("batch", batchId);
      }
      Set<Integer> sequences = new HashSet<>();
      Set<String> ids = new HashSet<>();
      for (Simulation s : added) {
        if (!s.batchId().equals(batchId)) {
          throw new IllegalArgumentException("simulation " + s.id() + " belongs to batch " + s.batchId() + ", not " + batchId);
        }
        if (this.simulations.containsKey(s.id()) || !ids.add(s.id())) {
          throw new IllegalArgumentException("simulation " + s.id() + " already exists");
        }
        if (stored.bySequence.containsKey(s.sequenceNumber()) || !sequences.add(s.sequenceNumber())) {
          throw new IllegalArgumentException("sequence number " + s.sequenceNumber()
              + " is used by more than one simulation of batch " + batchId);
        }
      }
      for (Simulation s : added) {
        add(stored, s);
      }
      Batch b = stored.batch;
      stored.batch = new Batch(b.id(), b.status(), request, requestedSimulations, plannedSimulations, b.entities(),
          b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), b.counts(), b.usage(), List.of());
      return null;
    });
  }

  /** Fails when {@link #deleteUnpublishedBatches} removed the batch while it was being created. */
  private void checkStillCreating(StoredBatch stored) {
    if (batches.get(stored.batch.id()) != stored) {
      throw new IllegalStateException("batch " + stored.batch.id() + " was deleted while it was being created");
    }
  }

  /** Adds one simulation of a batch being created, after checking it fits. */
  private void add(StoredBatch stored, Simulation simulation) {
    String batchId = stored.batch.id();
    if (!simulation.batchId().equals(batchId)) {
      throw new IllegalArgumentException("simulation " + simulation.id() + " belongs to batch "
          + simulation.batchId() + ", not " + batchId);
    }
    if (simulations.containsKey(simulation.id())) {
      throw new IllegalArgumentException("simulation " + simulation.id() + " already exists");
    }
    if (stored.bySequence.containsKey(simulation.sequenceNumber())) {
      throw new IllegalArgumentException("sequence number " + simulation.sequenceNumber()
          + " is used by more than one simulation of batch " + batchId);
    }
    StoredSimulation storedSimulation = new StoredSimulation(stored, simulation);
    stored.add(storedSimulation);
    simulations.put(simulation.id(), storedSimulation);
  }

  /** Removes a batch and its simulations from every index; returns whether it was stored. */
  private boolean remove(StoredBatch stored) {
    String batchId = stored.batch.id();
    if (batches.get(batchId) != stored) {
      return false;
    }
    batches.remove(batchId);
    batchesByAge.remove(new BatchKey(stored.batch.createdAt(), batchId));
    for (StoredSimulation simulation : stored.bySequence.values()) {
      simulations.remove(simulation.current.id());
    }
    return true;
  }

  @Override
  public List<String> deleteUnpublishedBatches(Instant createdBefore) {
    Objects.requireNonNull(createdBefore, "createdBefore");
    return locked(() -> {
      List<StoredBatch> abandoned = new ArrayList<>();
      for (StoredBatch stored : batches.values()) {
        if (!stored.published && stored.batch.createdAt().isBefore(createdBefore)) {
          abandoned.add(stored);
        }
      }
      abandoned.sort(Comparator.comparing((StoredBatch b) -> b.batch.createdAt()).thenComparing(b -> b.batch.id()));
      List<String> ids = new ArrayList<>(abandoned.size());
      for (StoredBatch stored : abandoned) {
        remove(stored);
        ids.add(stored.batch.id());
      }
      return List.copyOf(ids);
    });
  }

  /** The batch, unless it is unknown or still being created. Call under the lock. */
  private @Nullable StoredBatch published(String batchId) {
    StoredBatch stored = batches.get(batchId);
    return stored != null && stored.published ? stored : null;
  }

  @Override
  public Optional<Batch> findBatch(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> Optional.ofNullable(published(batchId)).map(StoredBatch::view));
  }

  /**
   * {@inheritDoc} Batches created at the same instant come in descending id order.
   *
   * @throws IllegalArgumentException when {@code offset} or {@code limit} is negative
   */
  @Override
  public List<Batch> listBatches(int offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    return locked(() -> {
      List<Batch> page = new ArrayList<>(Math.min(limit, batchesByAge.size()));
      Iterator<StoredBatch> newestFirst = batchesByAge.descendingMap().values().iterator();
      for (int skipped = 0; skipped < offset && newestFirst.hasNext(); skipped++) {
        newestFirst.next();
      }
      while (page.size() < limit && newestFirst.hasNext()) {
        page.add(newestFirst.next().view());
      }
      return List.copyOf(page);
    });
  }

  @Override
  public List<String> findBatchIds(Set<BatchStatus> statuses) {
    Set<BatchStatus> wanted = Set.copyOf(statuses);
    return locked(() -> {
      List<String> ids = new ArrayList<>();
      for (StoredBatch stored : batchesByAge.values()) {
        if (wanted.contains(stored.batch.status())) {
          ids.add(stored.batch.id());
        }
      }
      return List.copyOf(ids);
    });
  }

  /**
   * {@inheritDoc} Entering {@code PENDING} changes only the status.
   */
  @Override
  public boolean transitionBatch(
      String batchId, Set<BatchStatus> from, BatchStatus to, @Nullable String error) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(to, "to");
    Set<BatchStatus> allowed = Set.copyOf(from);
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null || !allowed.contains(stored.batch.status())) {
        return false;
      }
      Batch b = stored.batch;
      Instant now = clock.instant();
      Instant startedAt = b.startedAt();
      Instant finishedAt = b.finishedAt();
      String storedError = b.error();
      if (to == BatchStatus.IN_PROGRESS) {
        startedAt = startedAt != null ? startedAt : now;
        finishedAt = null;
        storedError = null;
      } else if (to.isTerminal()) {
        finishedAt = now;
        storedError = error;
      }
      stored.batch = new Batch(b.id(), to, b.request(), b.requestedSimulations(), b.plannedSimulations(),
          b.entities(), b.createdAt(), startedAt, finishedAt, storedError, b.counts(), b.usage(), List.of());
      return true;
    });
  }

  @Override
  public boolean deleteBatch(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = published(batchId);
      seals.remove(batchId);
      providerJobs.remove(batchId);
      coordinators.forget(batchId);
      submissionIntents.remove(batchId);
      return stored != null && remove(stored);
    });
  }

  // ---- simulations ----

  @Override
  public Optional<Simulation> findSimulation(String simulationId) {
    Objects.requireNonNull(simulationId, "simulationId");
    return locked(() -> Optional.ofNullable(simulations.get(simulationId)).filter(s -> s.batch.published).map(s -> s.current));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Copies {@value #PAGE_SIZE} simulations at a time under the lock and hands them over without
   * it, so {@code action} may call this repository. Each page shows the state when it was copied;
   * iteration stops early when the batch is deleted meanwhile.
   */
  @Override
  public void forEachSimulation(String batchId, Consumer<? super Simulation> action) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(action, "action");
    StoredBatch first = locked(() -> published(batchId));
    if (first == null) {
      return;
    }
    int after = Integer.MIN_VALUE;
    while (true) {
      int from = after;
      List<Simulation> page = locked(() -> {
        if (published(batchId) != first) {
          return List.<Simulation>of();
        }
        List<Simulation> out = new ArrayList<>(PAGE_SIZE);
        for (StoredSimulation s : first.bySequence.tailMap(from, false).values()) {
          if (out.size() == PAGE_SIZE) {
            break;
          }
          out.add(s.current);
        }
        return out;
      });
      if (page.isEmpty()) {
        return;
      }
      for (Simulation simulation : page) {
        action.accept(simulation);
      }
      after = page.get(page.size() - 1).sequenceNumber();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code max} is less than 1 or {@code leaseDuration} is
   *     not positive
   */
  @Override
  public List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    Set<String> excluded = Set.copyOf(excludedModels);
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    requirePositive(leaseDuration);
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        return List.of();
      }
      Instant now = clock.instant();
      Instant expiresAt = now.plus(leaseDuration);
      stored.promoteExpired(now);
      // Chosen before any is leased: leasing takes a simulation out of the set being read.
      List<StoredSimulation> chosen = new ArrayList<>(Math.min(max, stored.runnable.size()));
      for (Iterator<Integer> it = stored.runnable.iterator(); chosen.size() < max && it.hasNext(); ) {
        StoredSimulation s = stored.bySequence.get(it.next());
        String planned = s.current.plannedModel();
        if (planned == null || !excluded.contains(planned)) {
          chosen.add(s);
        }
      }
      List<ClaimedSimulation> claimed = new ArrayList<>(chosen.size());
      for (StoredSimulation s : chosen) {
        stored.lease(s, owner, expiresAt);
        s.version++;
        Simulation before = s.current;
        Instant startedAt = before.startedAt() != null ? before.startedAt() : now;
        stored.update(s, changed(before, SimulationStatus.RUNNING, before.turns(), before.error(),
            before.attempts() + 1, before.usage(), before.model(), startedAt, null));
        claimed.add(new ClaimedSimulation(s.current, new Lease(before.id(), owner, s.version)));
      }
      return List.copyOf(claimed);
    });
  }

  @Override
  public List<HeldLease> findLiveLeases(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = batches.get(batchId);
      if (stored == null) {
        return List.of();
      }
      Instant now = clock.instant();
      // The lease index is ordered by expiry; the answer is in sequence order.
      NavigableMap<Integer, HeldLease> live = new TreeMap<>();
      for (StoredBatch.LeaseExpiry lease : stored.leased) {
        StoredSimulation s = stored.bySequence.get(lease.sequence());
        String owner = s.owner;
        if (lease.expiresAt().isAfter(now) && owner != null) {
          live.put(lease.sequence(), new HeldLease(s.current.id(), owner, lease.expiresAt()));
        }
      }
      return List.copyOf(live.values());
    });
  }

  /**
   * {@inheritDoc} A lease that expired but was not yet taken over is still held, and renewing it
   * keeps it.
   *
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    List<Lease> toRenew = List.copyOf(leases);
    requirePositive(leaseDuration);
    return locked(() -> {
      Instant expiresAt = clock.instant().plus(leaseDuration);
      Set<String> lost = new HashSet<>();
      for (Lease lease : toRenew) {
        StoredSimulation s = simulations.get(lease.simulationId());
        if (s == null || !s.isHeldBy(lease)) {
          lost.add(lease.simulationId());
        } else {
          s.batch.lease(s, lease.owner(), expiresAt);
        }
      }
      return Set.copyOf(lost);
    });
  }

  @Override
  public boolean recordRound(Lease lease, RoundResult round) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(round, "round");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return false;
      }
      if (!s.recordedRounds.add(round.round())) {
        return true;
      }
      round.turns().forEach(t -> s.recordedTurns.add(t.turnNumber()));
      Simulation before = s.current;
      List<Turn> turns = new ArrayList<>(before.turns().size() + round.turns().size());
      turns.addAll(before.turns());
      turns.addAll(round.turns());
      if (!before.turns().isEmpty() && !round.turns().isEmpty()
          && TURN_ORDER.compare(before.turns().get(before.turns().size() - 1), round.turns().get(0)) > 0) {
        // A round recorded out of order still reads back in (round, turn) order.
        turns.sort(TURN_ORDER);
      }
      String model = round.model() != null ? round.model() : before.model();
      String fingerprint = round.systemFingerprint() != null ? round.systemFingerprint() : before.systemFingerprint();
      s.batch.update(s, changed(before, before.status(), turns, before.error(), before.attempts(),
          before.usage().plus(round.usage()), model, before.startedAt(), before.finishedAt())
          .withCostUsd(CostSum.plus(before.costUsd(), round.costUsd()))
          .withProvenance(fingerprint, before.turnsSha256(), before.finishedBy()));
      return true;
    });
  }

  @Override
  public boolean recordTurn(Lease lease, TurnResult turn) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(turn, "turn");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return false;
      }
      if (!s.recordedTurns.add(turn.turn().turnNumber())) {
        return true;
      }
      Simulation before = s.current;
      List<Turn> turns = new ArrayList<>(before.turns().size() + 1);
      turns.addAll(before.turns());
      turns.add(turn.turn());
      if (!before.turns().isEmpty() && TURN_ORDER.compare(before.turns().get(before.turns().size() - 1), turn.turn()) > 0) {
        turns.sort(TURN_ORDER);
      }
      String model = turn.model() != null ? turn.model() : before.model();
      // The turn's cost adds up as a round's does (and as the JDBC store adds it).
      s.batch.update(s, changed(before, before.status(), turns, before.error(), before.attempts(),
          before.usage().plus(turn.usage()), model, before.startedAt(), before.finishedAt())
          .withCostUsd(CostSum.plus(before.costUsd(), turn.costUsd())));
      return true;
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code status} is neither {@code COMPLETED} nor {@code
   *     FAILED}
   */
  @Override
  public boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(unrecordedUsage, "unrecordedUsage");
    if (status != SimulationStatus.COMPLETED && status != SimulationStatus.FAILED) {
      throw new IllegalArgumentException("status must be COMPLETED or FAILED, was " + status);
    }
    return locked(() -> finishHeld(lease, status, error, unrecordedUsage, unrecordedCostUsd, null));
  }

  /** Finishes the simulation if {@code lease} is held, replacing its flags when {@code flags} is not null. */
  private boolean finishHeld(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd, @Nullable List<QualityFlag> flags) {
    StoredSimulation s = held(lease);
    if (s == null) {
      return false;
    }
    Simulation before = s.current;
    s.batch.clearLease(s, false);
    Simulation after = changed(before, status, before.turns(), error, before.attempts(),
        before.usage().plus(unrecordedUsage), before.model(), before.startedAt(), clock.instant())
        .withCostUsd(CostSum.plus(before.costUsd(), unrecordedCostUsd))
        .withProvenance(before.systemFingerprint(), TurnsDigest.ofTurns(before.turns()), lease.owner());
    s.batch.update(s, flags == null ? after : after.withFlags(flags));
    return true;
  }

  /**
   * Ends the simulation completed with {@code flags} in one step under the lock (one lookup, one
   * new version of the simulation), instead of recording the flags and then finishing; a lost
   * lease changes nothing, not even the flags.
   */
  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(flags, "flags");
    // As finish(lease, COMPLETED, null) writes it (no unrecorded usage, its cost 0), with the flags.
    return locked(() -> finishHeld(lease, SimulationStatus.COMPLETED, null, TokenUsage.ZERO, 0.0, flags));
  }

  /**
   * Records the last round and finishes in one hold of the lock, so the lease cannot be lost
   * between the two: either both are written or, on a lost lease, neither.
   */
  @Override
  public boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(turns, "turns");
    return locked(() -> recordRound(lease, lastRound) && finishCompleted(lease, flags));
  }

  @Override
  public boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(setAside, "setAside");
    Objects.requireNonNull(rerunUsage, "rerunUsage");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return false;
      }
      Simulation before = s.current;
      List<Turn> turns = before.turns();
      if (keptTurns != null) {
        turns = new ArrayList<>(keptTurns);
        turns.sort(TURN_ORDER);
        // The kept rerun's rounds are the recorded ones now: a round recorded again is a repeat of these.
        s.recordedRounds.clear();
        s.recordedTurns.clear();
        for (Turn t : turns) {
          s.recordedRounds.add(t.round());
          s.recordedTurns.add(t.turnNumber());
        }
      }
      List<FailedAttempt> history = new ArrayList<>(before.attemptHistory());
      history.add(setAside);
      s.batch.update(s, changed(before, before.status(), turns, before.error(), before.attempts(),
          before.usage().plus(rerunUsage), before.model(), before.startedAt(), before.finishedAt())
          .withCostUsd(CostSum.plus(before.costUsd(), rerunCostUsd)).withAttemptHistory(history));
      return true;
    });
  }

  @Override
  public boolean release(Lease lease) {
    return giveBack(lease, false);
  }

  @Override
  public boolean unclaim(Lease lease) {
    return giveBack(lease, true);
  }

  /** Makes the simulation pending again if {@code lease} is held, undoing the claim's attempt when asked. */
  private boolean giveBack(Lease lease, boolean undoClaim) {
    Objects.requireNonNull(lease, "lease");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return false;
      }
      Simulation before = s.current;
      int attempts = undoClaim ? before.attempts() - 1 : before.attempts();
      // A first claim set startedAt; a later one kept it.
      @Nullable Instant startedAt = undoClaim && attempts == 0 ? null : before.startedAt();
      s.batch.clearLease(s, true);
      s.batch.update(s, changed(before, SimulationStatus.PENDING, before.turns(), before.error(),
          attempts, before.usage(), before.model(), startedAt, null));
      return true;
    });
  }

  /** {@inheritDoc} Cancelled simulations get {@code finishedAt}; their recorded rounds stay. */
  @Override
  public long cancelUnfinished(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        return 0L;
      }
      Instant now = clock.instant();
      List<StoredSimulation> unfinished = stored.unfinished();
      for (StoredSimulation s : unfinished) {
        Simulation before = s.current;
        stored.clearLease(s, false);
        stored.update(s, changed(before, SimulationStatus.CANCELLED, before.turns(), before.error(),
            before.attempts(), before.usage(), before.model(), before.startedAt(), now));
      }
      return (long) unfinished.size();
    });
  }

  @Override
  public long requeueCancelled(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        return 0L;
      }
      long requeued = 0;
      for (StoredSimulation s : stored.bySequence.values()) {
        Simulation before = s.current;
        if (before.status() == SimulationStatus.CANCELLED) {
          stored.clearLease(s, true);
          stored.update(s, changed(before, SimulationStatus.PENDING, before.turns(), before.error(),
              before.attempts(), before.usage(), before.model(), before.startedAt(), null));
          requeued++;
        }
      }
      return requeued;
    });
  }

  @Override
  public void recordFlags(String simulationId, List<QualityFlag> flags) {
    Objects.requireNonNull(simulationId, "simulationId");
    locked(() -> {
      StoredSimulation s = simulations.get(simulationId);
      if (s != null) {
        s.batch.update(s, s.current.withFlags(flags));
      }
      return s != null;
    });
  }

  @Override
  public long requeueFailed(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = batches.get(batchId);
      if (stored == null) {
        return 0L;
      }
      long requeued = 0;
      for (StoredSimulation s : stored.bySequence.values()) {
        Simulation before = s.current;
        if (before.status() == SimulationStatus.FAILED) {
          List<FailedAttempt> history = new ArrayList<>(before.attemptHistory());
          history.add(new FailedAttempt(before.attempts(), Objects.requireNonNullElse(before.error(), ""),
              before.finishedAt()));
          stored.clearLease(s, true);
          stored.update(s, changed(before, SimulationStatus.PENDING, before.turns(), null, before.attempts(),
              before.usage(), before.model(), before.startedAt(), null).withAttemptHistory(history));
          requeued++;
        }
      }
      return requeued;
    });
  }

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    Objects.requireNonNull(lease, "lease");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return SpendReservation.LEASE_LOST;
      }
      StoredBatch batch = s.batch;
      batch.reservations.remove(s.current.id());
      Instant now = clock.instant();
      double reservedUsd = 0;
      long reservedTokens = 0;
      for (Map.Entry<String, StoredBatch.Reservation> entry : batch.reservations.entrySet()) {
        StoredSimulation holder = simulations.get(entry.getKey());
        StoredBatch.Reservation r = entry.getValue();
        // A reservation counts only while the lease it was taken under is live.
        if (holder != null && holder.isHeldBy(r.lease()) && holder.expiresAt != null && holder.expiresAt.isAfter(now)) {
          reservedUsd += r.costUsd();
          reservedTokens += r.tokens();
        }
      }
      if (maxCostUsd != null && batch.spentUsd + reservedUsd + costUsd > maxCostUsd) {
        return SpendReservation.OVER_BUDGET;
      }
      if (maxTotalTokens != null && batch.spentTokens + reservedTokens + tokens > maxTotalTokens) {
        return SpendReservation.OVER_BUDGET;
      }
      batch.reservations.put(s.current.id(), new StoredBatch.Reservation(lease, costUsd, tokens));
      return SpendReservation.RESERVED;
    });
  }

  @Override
  public void settleSpend(Lease lease, double costUsd, long tokens) {
    Objects.requireNonNull(lease, "lease");
    locked(() -> {
      StoredSimulation s = simulations.get(lease.simulationId());
      if (s != null) {
        StoredBatch.Reservation r = s.batch.reservations.get(lease.simulationId());
        if (r != null && r.lease().equals(lease)) {
          s.batch.reservations.remove(lease.simulationId());
        }
        s.batch.spentUsd += costUsd;
        s.batch.spentTokens += tokens;
      }
      return null;
    });
  }

  @Override
  public BatchSpend spentOn(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = batches.get(batchId);
      return stored == null ? BatchSpend.NONE : new BatchSpend(stored.spentUsd, stored.spentTokens);
    });
  }

  @Override
  public boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        return false;
      }
      Batch b = stored.batch;
      stored.batch = new Batch(b.id(), b.status(), b.request().toBuilder().maxCostUsd(maxCostUsd)
          .maxTotalTokens(maxTotalTokens).build(), b.requestedSimulations(), b.plannedSimulations(), b.entities(),
          b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), b.counts(), b.usage(), List.of());
      return true;
    });
  }

  @Override
  public boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(outcomes, "outcomes");
    return locked(() -> {
      StoredSimulation s = held(lease);
      if (s == null) {
        return false;
      }
      Simulation before = s.current;
      Map<String, @Nullable Object> values = new LinkedHashMap<>(before.outcomes());
      values.putAll(outcomes.values());
      Simulation counted = changed(before, before.status(), before.turns(), before.error(), before.attempts(),
          before.usage().plus(outcomes.usage()), before.model(), before.startedAt(), before.finishedAt())
          .withCostUsd(CostSum.plus(before.costUsd(), outcomes.costUsd()));
      s.batch.update(s, counted.withOutcomes(values, outcomes.error(), outcomes.extraction()));
      return true;
    });
  }

  @Override
  public long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(request, "request");
    return locked(() -> {
      StoredBatch stored = published(batchId);
      if (stored == null) {
        return 0L;
      }
      Batch b = stored.batch;
      stored.batch = new Batch(b.id(), b.status(), request, b.requestedSimulations(), b.plannedSimulations(),
          b.entities(), b.createdAt(), b.startedAt(), b.finishedAt(), b.error(), b.counts(), b.usage(), List.of());
      long requeued = 0;
      for (StoredSimulation s : stored.bySequence.values()) {
        Simulation before = s.current;
        if (before.status() != SimulationStatus.COMPLETED) {
          continue;
        }
        Map<String, @Nullable Object> values = new LinkedHashMap<>(before.outcomes());
        if (cleared == null) {
          values.clear();
        } else {
          values.keySet().removeAll(cleared);
        }
        stored.clearLease(s, true);
        stored.update(s, changed(before, SimulationStatus.PENDING, before.turns(), before.error(), before.attempts(),
            before.usage(), before.model(), before.startedAt(), null)
            .withOutcomes(values, null, before.outcomeExtraction()));
        requeued++;
      }
      return requeued;
    });
  }

  // ---- provenance ----

  /** {@code memory}, schema version 0: nothing outlives the JVM. */
  @Override
  public StoreInfo storeInfo() {
    return new StoreInfo("memory", 0);
  }

  @Override
  public void saveSeal(String batchId, BatchSeal seal) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(seal, "seal");
    locked(() -> {
      if (batches.containsKey(batchId)) {
        seals.put(batchId, seal);
      }
      return null;
    });
  }

  @Override
  public Optional<BatchSeal> findSeal(String batchId) {
    return locked(() -> Optional.ofNullable(seals.get(batchId)));
  }

  // ---- provider batch jobs ----

  @Override
  public void saveProviderJob(ProviderJob job) {
    Objects.requireNonNull(job, "job");
    locked(() -> {
      if (batches.containsKey(job.batchId())) {
        providerJobs.computeIfAbsent(job.batchId(), id -> new java.util.LinkedHashMap<>()).put(job.jobId(), job);
      }
      return null;
    });
  }

  @Override
  public List<ProviderJob> findProviderJobs(String batchId) {
    return locked(() -> {
      Map<String, ProviderJob> jobs = providerJobs.get(batchId);
      return jobs == null ? List.<ProviderJob>of() : List.copyOf(jobs.values());
    });
  }

  // ---- coordinator leases ----

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  @Override
  public boolean acquireCoordinator(String batchId, String owner, Duration leaseDuration) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    requirePositive(leaseDuration);
    return locked(() -> {
      if (published(batchId) == null) {
        return false;
      }
      Instant now = clock.instant();
      return coordinators.acquire(batchId, owner, now, now.plus(leaseDuration));
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  @Override
  public boolean renewCoordinator(String batchId, String owner, Duration leaseDuration) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    requirePositive(leaseDuration);
    return locked(() -> coordinators.renew(batchId, owner, clock.instant().plus(leaseDuration)));
  }

  @Override
  public void releaseCoordinator(String batchId, String owner) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    locked(() -> {
      coordinators.release(batchId, owner);
      return null;
    });
  }

  @Override
  public Optional<String> findCoordinator(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> coordinators.liveOwner(batchId, clock.instant()));
  }

  // ---- submission intents ----

  @Override
  public void saveSubmissionIntent(SubmissionIntent intent) {
    Objects.requireNonNull(intent, "intent");
    locked(() -> {
      if (batches.containsKey(intent.batchId())) {
        submissionIntents.computeIfAbsent(intent.batchId(), id -> new java.util.LinkedHashMap<>())
            .put(intent.key(), intent);
      }
      return null;
    });
  }

  @Override
  public List<SubmissionIntent> findSubmissionIntents(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return locked(() -> {
      Map<String, SubmissionIntent> intents = submissionIntents.get(batchId);
      return intents == null ? List.<SubmissionIntent>of() : List.copyOf(intents.values());
    });
  }

  @Override
  public void deleteSubmissionIntent(SubmissionIntent intent) {
    Objects.requireNonNull(intent, "intent");
    locked(() -> {
      Map<String, SubmissionIntent> intents = submissionIntents.get(intent.batchId());
      if (intents != null) {
        intents.remove(intent.key());
      }
      return null;
    });
  }

  // ---- internals ----

  /** The simulation {@code lease} is held on, or null when it is no longer held. Call under the lock. */
  private @Nullable StoredSimulation held(Lease lease) {
    StoredSimulation s = simulations.get(lease.simulationId());
    return s != null && s.isHeldBy(lease) ? s : null;
  }

  private static Simulation changed(
      Simulation s,
      SimulationStatus status,
      List<Turn> turns,
      @Nullable String error,
      int attempts,
      TokenUsage usage,
      @Nullable String model,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt) {
    return new Simulation(s.id(), s.batchId(), s.sequenceNumber(), s.entityIds(), s.speakingOrder(), status,
        turns, error, attempts, usage, model, s.finalTurnNumber(), s.createdAt(), startedAt, finishedAt,
        s.attemptHistory(), s.costUsd(), s.outcomes(), s.outcomeError(), s.outcomeExtraction(), s.flags(),
        s.systemFingerprint(), s.turnsSha256(), s.finishedBy(), s.plannedModel());
  }

  private static void requirePositive(Duration leaseDuration) {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException("leaseDuration must be positive, was " + leaseDuration);
    }
  }

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
