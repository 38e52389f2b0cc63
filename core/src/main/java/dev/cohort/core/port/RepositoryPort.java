package dev.cohort.core.port;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where entities, batches and simulations live, and how workers share the work.
 *
 * <p>Execution is claim-based: a worker {@link #claim claims} runnable simulations with a lease,
 * {@link #renew renews} it while it works, {@link #recordRound records} each finished round and
 * {@link #finish finishes} the simulation, each write accepted only while the lease is still held.
 * A lease that expires makes the simulation claimable again. This one contract gives resume after
 * a crash and several workers on one shared store.
 *
 * <p>Implementations are thread-safe. The {@code cohort-testkit} module's {@code
 * RepositoryContractTest} is the executable form of this contract.
 */
public interface RepositoryPort {
  /** How many simulations {@link #createBatch} stores per chunk in the shipped adapters. */
  int CREATE_CHUNK = 1_000;

  // ---- entities ----

  /** Inserts the entities, replacing any stored ones with the same ids. */
  void saveEntities(Collection<Entity> entities);

  /** The entity with this id. */
  Optional<Entity> findEntity(String id);

  /** The stored entities among {@code ids}, in the order of {@code ids}; unknown ids are skipped. */
  List<Entity> findEntities(Collection<String> ids);

  /** Every stored entity, ordered by id. */
  List<Entity> listEntities();

  /** Deletes the entity; batches keep their snapshot of it. Returns whether it existed. */
  boolean deleteEntity(String id);

  // ---- batches ----

  /**
   * Stores a new batch and its simulations, read from {@code simulations} as they are written:
   * implementations hold only a bounded chunk of them in memory (JDBC writes chunks of {@value
   * #CREATE_CHUNK} in a transaction each), so a batch of millions is created in constant memory.
   * The batch's counts and usage are ignored (they are computed on reads).
   *
   * <p>The batch is stored first but stays <em>unpublished</em> until its last simulation is
   * stored: until then every read and every worker sees no such batch ({@link #findBatch}, {@link
   * #listBatches}, {@link #findBatchIds}, {@link #forEachSimulation}, {@link #findSimulation} and
   * {@link #claim} find nothing; {@link #transitionBatch}, {@link #cancelUnfinished} and {@link
   * #requeueCancelled} change nothing). Publishing is one atomic step, so no worker ever runs half
   * a batch. When this method throws (a simulation that cannot be stored, a store failure, or
   * {@code simulations} throwing), it deletes what it wrote before rethrowing; if the process dies
   * instead, or that delete fails too, the remainder stays unpublished, invisible and harmless,
   * until {@link #deleteUnpublishedBatches} removes it.
   *
   * @throws IllegalArgumentException when a batch with this id exists (published or not), or a
   *     simulation belongs to another batch; a simulation that repeats a sequence number or an id
   *     fails the creation too (with this exception or the store's {@code CohortException})
   */
  void createBatch(Batch batch, Iterator<? extends Simulation> simulations);

  /**
   * Deletes the unpublished batches (see {@link #createBatch}) created before {@code
   * createdBefore}: what a process that stopped while creating a batch left behind. A batch still
   * being created by a live process is younger than any sensible cut-off, so it is left alone.
   *
   * @return the ids of the batches deleted, oldest first
   */
  List<String> deleteUnpublishedBatches(Instant createdBefore);

  /** The batch with current counts and usage, without simulations. */
  Optional<Batch> findBatch(String batchId);

  /** Batches newest first, without simulations. */
  List<Batch> listBatches(int offset, int limit);

  /** Ids of the batches whose status is one of {@code statuses}, oldest first. */
  List<String> findBatchIds(Set<BatchStatus> statuses);

  /**
   * Moves the batch to {@code to} if its status is one of {@code from}. Entering {@code
   * IN_PROGRESS} sets {@code startedAt} if unset and clears {@code finishedAt} and the error;
   * entering a terminal status sets {@code finishedAt}.
   *
   * @param error the batch's error to store with a terminal status, or null
   * @return whether the batch was moved
   */
  boolean transitionBatch(String batchId, Set<BatchStatus> from, BatchStatus to, @Nullable String error);

  /** Deletes the batch and everything of it. Returns whether it existed. */
  boolean deleteBatch(String batchId);

  // ---- simulations ----

  /** The simulation with its turns. */
  Optional<Simulation> findSimulation(String simulationId);

  /**
   * Hands every simulation of the batch, with its turns, to {@code action} in sequence order,
   * streaming: implementations hold only a bounded window in memory. Does nothing for an unknown
   * batch.
   */
  void forEachSimulation(String batchId, Consumer<? super Simulation> action);

  /**
   * Claims up to {@code max} runnable simulations of the batch, lowest sequence number first: those
   * {@code PENDING}, and those {@code RUNNING} whose lease has expired. Each becomes {@code
   * RUNNING} under a new lease for {@code owner} that expires after {@code leaseDuration}, its
   * version and attempts go up by one, and {@code startedAt} is set if unset. Concurrent callers
   * never receive the same simulation.
   */
  List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration);

  /**
   * Extends the given leases to expire {@code leaseDuration} from now.
   *
   * @return the ids of the simulations whose lease is no longer held (expired and taken, cancelled
   *     or deleted): their worker must stop
   */
  Set<String> renew(Collection<Lease> leases, Duration leaseDuration);

  /**
   * Records one finished round: appends its turns and adds its usage. Idempotent per (simulation,
   * round): recording a round that is already stored changes nothing and returns true.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean recordRound(Lease lease, RoundResult round);

  /**
   * Ends the simulation with {@code COMPLETED} or {@code FAILED} (with its error), sets {@code
   * finishedAt} and clears the lease.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean finish(Lease lease, SimulationStatus status, @Nullable String error);

  /**
   * Gives the simulation back: {@code PENDING} again, lease cleared, recorded rounds kept.
   *
   * @return false when the lease is no longer held
   */
  boolean release(Lease lease);

  /**
   * Marks every {@code PENDING} or {@code RUNNING} simulation of the batch {@code CANCELLED},
   * invalidating the leases of running ones.
   *
   * @return how many were cancelled
   */
  long cancelUnfinished(String batchId);

  /**
   * Makes the batch's {@code CANCELLED} simulations {@code PENDING} again so a resumed batch runs
   * them; finished rounds are kept.
   *
   * @return how many were re-queued
   */
  long requeueCancelled(String batchId);
}
