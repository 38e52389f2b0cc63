package dev.cohort.core.port;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Batches and their simulations as records: created, read, moved from status to status, deleted.
 * One of the three roles of a {@link RepositoryPort}; exporters and other read-only uses depend on
 * this role alone.
 *
 * <p>Implementations are thread-safe.
 */
public interface BatchStore {

  /** How many simulations {@link #createBatch} stores per chunk in the shipped adapters. */
  int CREATE_CHUNK = 1_000;

  /**
   * Stores a new batch and its simulations, read from {@code simulations} as they are written:
   * implementations hold only a bounded chunk of them in memory (JDBC writes chunks of {@value
   * #CREATE_CHUNK} in a transaction each), so a batch of millions is created in constant memory.
   * The batch's counts and usage are ignored (they are computed on reads).
   *
   * <p>The batch is stored first but stays <em>unpublished</em> until its last simulation is
   * stored: until then every read and every worker sees no such batch ({@link #findBatch}, {@link
   * #listBatches}, {@link #findBatchIds}, {@link #forEachSimulation}, {@link #findSimulation} and
   * {@link WorkQueue#claim} find nothing; {@link #transitionBatch}, {@link WorkQueue#cancelUnfinished}
   * and {@link WorkQueue#requeueCancelled} change nothing). Publishing is one atomic step, so no
   * worker ever runs half a batch. When this method throws (a simulation that cannot be stored, a
   * store failure, or {@code simulations} throwing), it deletes what it wrote before rethrowing; if
   * the process dies instead, or that delete fails too, the remainder stays unpublished, invisible
   * and harmless, until {@link #deleteUnpublishedBatches} removes it.
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

  /**
   * Grows a published batch: stores its new request (with the extension recorded), its new
   * requested and planned totals, and the new simulations, read from {@code simulations} as they
   * are written, all in one step (a failure leaves the batch as it was). The new simulations must
   * continue the batch's sequence numbers. Workers see them as soon as the call returns.
   *
   * @throws IllegalArgumentException when a simulation belongs to another batch or repeats a
   *     sequence number or id
   * @throws dev.cohort.core.batch.NotFoundException when the batch does not exist or is unpublished
   */
  void appendSimulations(String batchId, BatchRequest request, long requestedSimulations,
      long plannedSimulations, Iterator<? extends Simulation> simulations);

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

  /** The simulation with its turns. */
  Optional<Simulation> findSimulation(String simulationId);

  /**
   * Hands every simulation of the batch, with its turns, to {@code action} in sequence order,
   * streaming: implementations hold only a bounded window in memory. Does nothing for an unknown
   * batch.
   */
  void forEachSimulation(String batchId, Consumer<? super Simulation> action);

  /**
   * Replaces the budget stored with the batch's request ({@code max_cost_usd}, {@code
   * max_total_tokens}): how a batch stopped by its budget goes on with a higher one.
   *
   * @return whether the batch exists
   */
  boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens);

  /** What kind of store this is and its schema version, for provenance manifests. */
  default StoreInfo storeInfo() {
    return StoreInfo.UNKNOWN;
  }

  /**
   * Records the batch's seal (its request and entity snapshot digests, computed when it was
   * created); replaces an earlier one. Does nothing for an unknown batch. Stores that cannot record
   * seals ignore it, and {@link #findSeal} then finds none.
   */
  default void saveSeal(String batchId, BatchSeal seal) {}

  /** The seal recorded for the batch, if any. */
  default Optional<BatchSeal> findSeal(String batchId) {
    return Optional.empty();
  }

  /**
   * Stores a provider batch job of the batch (execution {@code batch_api}), or replaces the stored
   * one with the same job id: its state, file ids, counts and whether it is applied. Stores that
   * cannot keep jobs throw {@link UnsupportedOperationException}; the shipped ones all can.
   */
  default void saveProviderJob(ProviderJob job) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store provider batch jobs");
  }

  /** The batch's provider batch jobs, in the order they were submitted; empty for an unknown batch. */
  default List<ProviderJob> findProviderJobs(String batchId) {
    return List.of();
  }

  /**
   * Stores a submission intent: a provider job about to be submitted (see {@link
   * SubmissionIntent}), before it is submitted. Does nothing for an unknown batch. Stores that
   * cannot keep intents throw {@link UnsupportedOperationException}; the shipped ones all can.
   */
  default void saveSubmissionIntent(SubmissionIntent intent) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store submission intents");
  }

  /** The batch's submission intents not yet resolved, oldest first; empty for an unknown batch. */
  default List<SubmissionIntent> findSubmissionIntents(String batchId) {
    return List.of();
  }

  /**
   * Removes a submission intent (nothing when there is none): once its job is stored with {@link
   * #saveProviderJob}, or once it is known that the provider has no such job. A process that dies
   * between storing the job and removing the intent leaves an intent whose requests a stored job
   * carries, which the coordinator recognises and removes.
   */
  default void deleteSubmissionIntent(SubmissionIntent intent) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store submission intents");
  }
}
