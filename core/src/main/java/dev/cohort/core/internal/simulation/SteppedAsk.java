package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.WorkQueue;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The next piece of a simulation asked of the model one call at a time: a scripted round ({@link
 * ScriptedRound}), a role-play turn ({@link RoleplayTurn}) or, after the last of them, the
 * simulation's outcome extraction ({@code internal.outcome.OutcomeAsk}). It gives the request of its next call
 * and judges each answer (accepted, asked again, or given up), so the direct engine and the batch
 * API coordinator send the same prompts and apply the same parsing and re-ask rules. Not
 * thread-safe.
 */
public interface SteppedAsk {
  /**
   * The first piece of {@code simulation} not recorded yet, in the batch's mode, or null when every
   * round (or turn) is recorded.
   *
   * @param entities the batch's entities by id
   * @param transcriptWindow most characters of earlier transcript shown to the model, as the engine's
   */
  static @Nullable SteppedAsk next(Simulation simulation, BatchRequest request, String system, long batchSeed,
      Map<String, Entity> entities, int transcriptWindow, int maxReasks) {
    return request.mode() == SimulationMode.ROLEPLAY
        ? RoleplayTurn.next(simulation, request, system, batchSeed, entities, transcriptWindow, maxReasks)
        : ScriptedRound.next(simulation, request, system, batchSeed, entities, transcriptWindow, maxReasks);
  }

  /** The request of the next call: the first, or the re-ask after a rejected answer. */
  ChatRequest call();

  /**
   * Takes one answer to {@link #call()}, with what it used and cost, and judges it.
   *
   * @param costUsd what the call cost; null when unknown
   */
  ScriptedRound.Verdict take(ChatResponse response, TokenUsage callUsage, @Nullable Double costUsd);

  /**
   * The registry name of the model this piece's calls go to (the simulation's planned model; in
   * role-play, the speaker's own model when it has one), or null for the {@code Cohort}'s one model.
   * The batch API coordinator sends each model's requests to its own provider by it.
   */
  @Nullable String callModel();

  /**
   * The round this piece belongs to, 1-based; 0 for a simulation's outcome extraction, which
   * follows its last round.
   */
  int round();

  /** The turn number of a role-play turn; 0 for a scripted round (which holds several turns). */
  int turnNumber();

  /** Which call {@link #call()} is: 0 the first, then each re-ask. */
  int ask();

  /**
   * Continues at re-ask {@code ask}, as a stored job that carries that re-ask says, when the answers
   * before it are gone with the process that took them.
   */
  void continueAt(int ask);

  /** What failure messages call this piece: "round 3" or "turn 5". */
  String what();

  /**
   * Stores the accepted piece under {@code lease}, as direct mode stores it; false when the lease
   * was lost.
   */
  boolean record(WorkQueue queue, Lease lease);

  /**
   * The piece after this one, whose earlier turns are {@code allTurns} (this piece's included), or
   * null when this is the simulation's last.
   */
  @Nullable SteppedAsk following(List<Turn> allTurns);

  /** The accepted turns; empty until an answer is accepted. */
  List<Turn> turns();

  /** Tokens of every answer taken so far. */
  TokenUsage usage();

  /** What every answer taken so far cost; null when unknown. */
  @Nullable Double costUsd();

  /** Why the last answer was not usable, or null. */
  @Nullable String problem();

  /** Whether the accepted answer was cut off at the token limit. */
  boolean truncated();
}
