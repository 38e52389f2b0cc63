package dev.cohort.core.port;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How workers share the simulations of a batch. One of the three roles of a {@link
 * RepositoryPort}: the one the runner works through.
 *
 * <p>Execution is claim-based: a worker {@link #claim claims} runnable simulations with a lease,
 * {@link #renew renews} it while it works, {@link #recordRound records} each finished round and
 * {@link #finish finishes} the simulation, each write accepted only while the lease is still held.
 * A lease that expires makes the simulation claimable again. This one contract gives resume after
 * a crash and several workers on one shared store.
 *
 * <p>Implementations are thread-safe.
 */
public interface WorkQueue {

  /**
   * Claims up to {@code max} runnable simulations of the batch, lowest sequence number first: those
   * {@code PENDING}, and those {@code RUNNING} whose lease has expired. Each becomes {@code
   * RUNNING} under a new lease for {@code owner} that expires after {@code leaseDuration}, its
   * version and attempts go up by one, and {@code startedAt} is set if unset. Concurrent callers
   * never receive the same simulation.
   */
  List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration);

  /**
   * The leases on the batch's {@code RUNNING} simulations that have not expired by the store's
   * clock, in sequence order; empty for an unknown batch. A read only: it tells whom a resumed
   * batch waits for (a crashed worker's simulations run again once its leases expire).
   */
  List<HeldLease> findLiveLeases(String batchId);

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
   * Ends the simulation with {@code COMPLETED} or {@code FAILED} (with its error), adds {@code
   * unrecordedUsage} to its usage, sets {@code finishedAt} and clears the lease.
   *
   * @param unrecordedUsage tokens of calls that no recorded round holds — answers that were
   *     rejected, the calls of the round that failed — so a simulation's usage counts every call
   *     it made whatever became of the answer; {@link TokenUsage#ZERO} when there were none
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage);

  /**
   * Ends the simulation as {@link #finish(Lease, SimulationStatus, String, TokenUsage)} does, with
   * no usage beyond its recorded rounds.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  default boolean finish(Lease lease, SimulationStatus status, @Nullable String error) {
    return finish(lease, status, error, TokenUsage.ZERO);
  }

  /**
   * Replaces the simulation's quality flags with {@code flags} (sorted, repeats dropped; empty clears
   * them), whatever its status and lease: the runner records a completed simulation's flags while it
   * still holds the lease, just before {@link #finish finishing} it, and adds {@code
   * duplicate_transcript} to finished ones when the batch ends. Does nothing for an unknown
   * simulation.
   */
  void recordFlags(String simulationId, List<QualityFlag> flags);

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

  /**
   * Makes the batch's {@code FAILED} simulations {@code PENDING} again so they run again: each
   * keeps its failure as a {@link dev.cohort.core.batch.FailedAttempt} (its attempts count, error
   * and finish time) appended to its attempt history, and its error and finish time are cleared.
   * Recorded rounds and usage are kept (the calls were paid for; a retry continues after the last
   * recorded round). The batch's status is not changed.
   *
   * @return how many were re-queued; 0 for an unknown batch
   */
  long requeueFailed(String batchId);
}
