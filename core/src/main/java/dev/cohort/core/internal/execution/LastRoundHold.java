package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.simulation.SimulationEngine.RoundSink;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.WorkQueue;
import org.jspecify.annotations.Nullable;

/**
 * The round sink of a simulation whose last round is written together with its finish ({@link
 * WorkQueue#finishCompleted(dev.cohort.core.port.Lease, RoundResult, java.util.List, java.util.List)}):
 * every round but the last goes to the store as it ends; the last is held and handed to the finish,
 * so a completed simulation costs the store one write less (on SQLite one group commit wait and one
 * update of its row).
 *
 * <p>Only where nothing but the quality flags comes between the last round and the finish: scripted
 * mode, no reruns of flagged simulations, no outcomes left to extract. So the round is held for no
 * more than the flags take to compute. Should the finish's write fail, the held round is not stored
 * and the simulation, given back, plays it again, as it would had the round's own write failed.
 */
final class LastRoundHold implements RoundSink {
  private final RoundSink store;
  private final int lastRound;
  private @Nullable RoundResult held;

  private LastRoundHold(RoundSink store, int lastRound) {
    this.store = store;
    this.lastRound = lastRound;
  }

  /**
   * A hold for {@code simulation}'s last round in front of {@code store}, or null when something
   * comes between its last round and its finish (role-play, reruns, outcomes to extract).
   */
  static @Nullable LastRoundHold of(BatchRequest request, Simulation simulation, RoundSink store) {
    boolean nothingBetween = request.mode() == SimulationMode.SCRIPTED && request.rerunFlagged().isEmpty()
        && OutcomeExtractor.missing(request, simulation.outcomes()).isEmpty();
    return nothingBetween ? new LastRoundHold(store, request.simulationRounds()) : null;
  }

  @Override
  public boolean record(RoundResult round) {
    if (round.round() == lastRound) {
      held = round;
      return true;
    }
    return store.record(round);
  }

  /** The held last round, once: null when none was played (or it was taken already). */
  @Nullable RoundResult take() {
    RoundResult round = held;
    held = null;
    return round;
  }
}
