package dev.cohort.core.port;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
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

  /**
   * Stores a new batch and all its simulations, atomically: afterwards either both exist or
   * neither does. The batch's counts and usage are ignored (they are computed on reads).
   *
   * @throws IllegalArgumentException when a batch with this id exists
   */
  void createBatch(Batch batch, List<Simulation> simulations);

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
}
