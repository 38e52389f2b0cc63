package dev.cohort.core.port;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How workers share the simulations of a batch. One of the three roles of a {@link
 * RepositoryPort}: the one the runner works through.
 *
 * <p>Execution is claim-based: a worker {@link #claim claims} runnable simulations with a lease,
 * {@link #renew renews} it while it works, {@link #recordRound records} each finished round (or,
 * in role-play, {@link #recordTurn each turn}) and {@link #finish(Lease, SimulationStatus, String,
 * TokenUsage, Double) finishes} the simulation, each write accepted only while the lease is still held.
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
  default List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration) {
    return claim(batchId, owner, max, leaseDuration, Set.of());
  }

  /**
   * Claims as {@link #claim(String, String, int, Duration)} does, leaving out the simulations
   * planned for a model named in {@code excludedModels} (their {@link
   * dev.cohort.core.batch.Simulation#plannedModel() planned model}): the runner names the models
   * whose own in-flight limit is reached, so the other models' simulations are still claimed, lowest
   * sequence number first, and the excluded ones wait (unskipped, in their order) until a later
   * claim no longer excludes their model. A simulation planned for no model is never excluded.
   * An empty set excludes nothing.
   */
  List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels);

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
   * Records one finished round: appends its turns and adds its usage and cost (an unknown round
   * cost makes the simulation's cost unknown). Idempotent per (simulation,
   * round): recording a round that is already stored changes nothing and returns true.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean recordRound(Lease lease, RoundResult round);

  /**
   * Records one finished turn (role-play mode, which stores each turn as it completes): appends it
   * to its round, in turn order, and adds its usage. Idempotent per (simulation, turn number):
   * recording a turn that is already stored changes nothing and returns true. A simulation is
   * recorded either by rounds or by turns, never both.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean recordTurn(Lease lease, TurnResult turn);

  /**
   * Ends the simulation with {@code COMPLETED} or {@code FAILED} (with its error), adds {@code
   * unrecordedUsage} to its usage and {@code unrecordedCostUsd} to its cost, sets {@code finishedAt}
   * and clears the lease.
   *
   * @param unrecordedUsage tokens of calls that no recorded round holds — answers that were
   *     rejected, the calls of the round that failed — so a simulation's usage counts every call
   *     it made whatever became of the answer; {@link TokenUsage#ZERO} when there were none
   * @param unrecordedCostUsd what those calls cost; null when unknown, which makes the
   *     simulation's cost unknown
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd);

  /**
   * Ends the simulation as {@link #finish(Lease, SimulationStatus, String, TokenUsage, Double)}
   * does, with the cost of {@code unrecordedUsage} 0 when it has no calls and no tokens, unknown
   * otherwise.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  default boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage) {
    boolean nothing = unrecordedUsage.calls() == 0 && unrecordedUsage.totalTokens() == 0;
    return finish(lease, status, error, unrecordedUsage, nothing ? 0.0 : null);
  }

  /**
   * Ends the simulation as {@link #finish(Lease, SimulationStatus, String, TokenUsage)} does, with
   * no usage beyond its recorded rounds.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  default boolean finish(Lease lease, SimulationStatus status, @Nullable String error) {
    return finish(lease, status, error, TokenUsage.ZERO, 0.0);
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
   * Replaces the quality flags of every simulation in {@code flagsById} as {@link
   * #recordFlags(String, List)} does for one: what the end-of-batch duplicate pass writes. A store
   * that can writes many in one go (on SQLite a few transactions instead of one per simulation);
   * this default records them one by one, in the map's order.
   */
  default void recordFlags(Map<String, List<QualityFlag>> flagsById) {
    flagsById.forEach(this::recordFlags);
  }

  /**
   * Ends the simulation {@code COMPLETED} as {@link #finish(Lease, SimulationStatus, String)} does,
   * with its quality flags replaced by {@code flags} (empty clears them): what the runner writes when
   * a simulation completes. A store that can should write both at once, so the completed simulation
   * is one write (on SQLite one group commit, on PostgreSQL one statement) and a reader never sees it
   * completed without its flags. This default records the flags first, then finishes.
   *
   * @return false when the lease is no longer held; then nothing is finished (this default may
   *     still have replaced the flags, which the lease's holder writes again when it finishes)
   */
  default boolean finishCompleted(Lease lease, List<QualityFlag> flags) {
    recordFlags(lease.simulationId(), flags);
    return finish(lease, SimulationStatus.COMPLETED, null);
  }

  /**
   * Ends the simulation {@code COMPLETED} as {@link #finishCompleted(Lease, List)} does, given its
   * whole transcript: {@code turns} are the simulation's recorded turns, in order, as the lease's
   * holder played and recorded them (what a re-read of its rounds would give). A store that renders
   * the transcript and its digest when a simulation finishes may take them from {@code turns}
   * instead of reading its rounds back; the stored transcript must be the same either way. This
   * default ignores {@code turns} and finishes as {@link #finishCompleted(Lease, List)} does.
   *
   * @return false when the lease is no longer held; then nothing is finished
   */
  default boolean finishCompleted(Lease lease, List<QualityFlag> flags, List<Turn> turns) {
    return finishCompleted(lease, flags);
  }

  /**
   * Records the simulation's last round and ends it {@code COMPLETED}, as {@link
   * #recordRound(Lease, RoundResult)} then {@link #finishCompleted(Lease, List, List)} do: what the
   * runner writes when the last round needs nothing more than its quality flags before the
   * simulation ends. A store that can should write both at once (on SQLite one group commit and one
   * update of the simulation's row instead of two). {@code turns} are the simulation's whole
   * transcript, {@code lastRound}'s turns included. This default records the round, then finishes;
   * either way the round is recorded only while the lease is held, and idempotently per (simulation,
   * round) as {@link #recordRound} has it.
   *
   * @return false when the lease is no longer held; then nothing is finished (this default may have
   *     recorded the round if the lease was lost between its two writes)
   */
  default boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    return recordRound(lease, lastRound) && finishCompleted(lease, flags, turns);
  }

  /**
   * Records an outcome extraction of a running simulation: on success its values are merged into
   * the simulation's outcomes (a name already there is replaced) and its outcome error cleared; on
   * failure the outcome error is set and the values are left as they are. Either way the
   * extraction record replaces the last one and {@code outcomes.usage()} is added to the
   * simulation's usage (extraction calls are calls: counted and priced). The status is not changed;
   * {@link #finish} ends the simulation afterwards.
   *
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes);

  /**
   * Prepares a re-extraction: stores {@code request} as the batch's request (the caller changes
   * only its outcome declaration), and makes the batch's {@code COMPLETED} simulations {@code
   * PENDING} again with the values of the outcomes named in {@code cleared} removed (all of them
   * when {@code cleared} is null) and their outcome error cleared. Their turns, usage and attempt
   * history are kept, so a worker that claims one plays no round: it only extracts the outcomes
   * the simulation lacks, under a lease, as a run of the batch (resumable like any other). The
   * batch's status is not changed.
   *
   * @return how many simulations were re-queued; 0 for an unknown batch
   */
  long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared);

  /**
   * Gives the simulation back: {@code PENDING} again, lease cleared, recorded rounds kept.
   *
   * @return false when the lease is no longer held
   */
  boolean release(Lease lease);

  /**
   * Gives back a simulation that was claimed and never started (claimed ahead by a worker whose
   * run ended first): {@code PENDING} again and the lease cleared, as {@link #release} does, and
   * the claim undone: {@code attempts} one lower and {@code startedAt} as before the claim
   * (cleared when it was the simulation's first). The lease is not held afterwards, as after a
   * release. This default releases, so the claim stays counted in {@code attempts}; the stores of
   * this library undo it.
   *
   * @return false when the lease is no longer held
   */
  default boolean unclaim(Lease lease) {
    return release(lease);
  }

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

  /**
   * Records a rerun of a flagged simulation ({@code rerun_flagged}) while the lease is held, in one
   * atomic write: {@code setAside} is appended to its attempt history, and {@code rerunUsage} and
   * {@code rerunCostUsd} (every call the rerun made, whichever attempt is kept) are added to its
   * usage and cost. When {@code keptTurns} is not null the rerun is the attempt kept: the
   * simulation's recorded turns (its rounds) are replaced by them, and {@code setAside} holds the
   * earlier transcript; when null, its turns are left as they are. The status is not changed:
   * {@link #finish} ends the simulation afterwards, so a rerun interrupted before this write
   * leaves the earlier attempt recorded as it was.
   *
   * @param rerunCostUsd null when unknown, which makes the simulation's cost unknown
   * @return false, and nothing written, when the lease is no longer held
   */
  boolean appendAttempt(Lease lease, FailedAttempt setAside,
      @Nullable List<Turn> keptTurns, TokenUsage rerunUsage, @Nullable Double rerunCostUsd);

  /**
   * Reserves the estimated cost of one call of the simulation {@code lease} holds, if the batch's
   * budget allows it: atomically, across every worker on the store, the reservation is taken only
   * when the batch's settled spend plus its live reservations plus this one stay within {@code
   * maxCostUsd} and {@code maxTotalTokens} (a null cap does not limit). A reservation lives as long
   * as the lease it was taken under: one whose lease expired, was released or was taken over no
   * longer counts, so a crashed worker's reservations do not hold the budget forever. A simulation
   * holds at most one reservation; a new one replaces it.
   *
   * @return {@link SpendReservation#RESERVED} when the reservation was taken; {@link
   *     SpendReservation#OVER_BUDGET} when it would pass a cap; {@link SpendReservation#LEASE_LOST}
   *     when the lease is no longer held (checked first: a lost lease reserves nothing, whatever the
   *     budget)
   */
  SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens);

  /**
   * Settles the reservation of the simulation {@code lease} holds with what its call really used:
   * drops the reservation and adds {@code costUsd} and {@code tokens} to the batch's settled
   * spend. Adds the spend even when the lease is no longer held (the call was paid for).
   */
  void settleSpend(Lease lease, double costUsd, long tokens);

  /** What the batch's settled calls have spent; {@link BatchSpend#NONE} for an unknown batch. */
  BatchSpend spentOn(String batchId);

  /**
   * Takes the coordinator lease of a batch for {@code owner}, or renews it when {@code owner} holds
   * it already: one worker at a time coordinates a batch whose rounds go out as provider batch jobs
   * ({@code execution: batch_api}), so no two submit the same round. Granted when nobody holds it,
   * when its holder's lease has expired (a takeover), or to its holder; refused while another
   * owner's lease is live, and for an unknown batch. Stores that cannot keep coordinator leases
   * throw {@link UnsupportedOperationException}; the shipped ones all can.
   *
   * @return whether {@code owner} holds the lease now, until {@code leaseDuration} from now by the
   *     store's clock
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  default boolean acquireCoordinator(String batchId, String owner, Duration leaseDuration) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep coordinator leases");
  }

  /**
   * Extends {@code owner}'s coordinator lease of the batch to {@code leaseDuration} from now. A lease
   * that expired but was not taken over is still held, and renewing it keeps it.
   *
   * @return false when {@code owner} no longer holds it: another owner took it over after it
   *     expired, or it was released
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  default boolean renewCoordinator(String batchId, String owner, Duration leaseDuration) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep coordinator leases");
  }

  /**
   * Gives up {@code owner}'s coordinator lease of the batch, so that another worker can take it at
   * once; does nothing when {@code owner} does not hold it.
   */
  default void releaseCoordinator(String batchId, String owner) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep coordinator leases");
  }

  /**
   * The owner of the batch's live (unexpired) coordinator lease; empty when nobody holds one, and
   * from stores that cannot keep coordinator leases.
   */
  default Optional<String> findCoordinator(String batchId) {
    return Optional.empty();
  }
}
