package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.simulation.ScriptedRound.Verdict;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.LeaseLost;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.internal.simulation.SimulationEngine.TurnSink;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.spend.CostSum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plays a simulation in role-play mode: one model call per turn, made for its speaker (plus
 * bounded re-asks), each turn recorded as soon as it is done, continuing at the first turn not
 * recorded. Speakers follow the stored speaking order. A turn keeps the speaker's thought (so
 * {@code turns}, {@code content} and the exports look as in scripted mode), but no other speaker's
 * prompt ever shows it: the transcript in the prompts holds only what was said. What a turn asks
 * and how it judges answers is {@link RoleplayTurn}'s, shared with the batch API coordinator.
 */
final class RoleplayPlayer {
  private final PricedCalls calls;
  private final RoleplayPrompt prompts;
  private final int maxReasks;

  /**
   * @param calls sends each call under the budget and prices it
   * @param maxReasks how many times an unusable answer is asked for again, per turn
   */
  RoleplayPlayer(PricedCalls calls, RoleplayPrompt prompts, int maxReasks) {
    this.calls = calls;
    this.prompts = prompts;
    this.maxReasks = maxReasks;
  }

  /** Plays the turns of {@code simulation} that are not recorded yet; see {@link SimulationEngine#play}. */
  Outcome play(
      Simulation simulation, BatchRequest request, String system, long batchSeed, Map<String, Entity> entities,
      TurnSink sink, CallBudget budget) throws InterruptedException {
    List<Entity> order = SimulationEngine.speakingOrder(simulation, entities);
    List<Turn> turns = new ArrayList<>(simulation.turns());
    TokenUsage usage = simulation.usage();
    @Nullable Double cost = simulation.costUsd();
    int done = turns.stream().mapToInt(Turn::turnNumber).max().orElse(0);
    for (int number = done + 1; number <= request.finalTurnNumber(); number++) {
      RoleplayTurn turn = RoleplayTurn.start(prompts, simulation, request, system, batchSeed, order, turns, number,
          maxReasks);
      Verdict verdict;
      try {
        verdict = askUntilJudged(turn, budget);
      } catch (CallFatalLlmException | RetryableLlmException e) {
        // A call that fails for this turn only ends the simulation, showing what the earlier answers cost.
        return failed(turn, e.getMessage(), usage, cost);
      }
      if (verdict != Verdict.ACCEPTED) {
        return failed(turn, turn.problem(), usage, cost);
      }
      if (!sink.record(turn.result())) {
        return new LeaseLost();
      }
      turns.addAll(turn.turns());
      usage = usage.plus(turn.usage());
      cost = CostSum.plus(cost, turn.costUsd());
    }
    return new Completed(turns, usage, cost);
  }

  /** Asks until an answer is usable or the re-asks run out; {@code turn} adds every answer's usage as it comes. */
  private Verdict askUntilJudged(RoleplayTurn turn, CallBudget budget) throws InterruptedException {
    while (true) {
      PricedCalls.Answer answer = calls.call(turn.call(), budget, turn.scope());
      Verdict verdict = turn.take(answer.response(), answer.usage(), answer.costUsd());
      if (verdict != Verdict.REASK) {
        return verdict;
      }
    }
  }

  private static Failed failed(RoleplayTurn turn, @Nullable String why, TokenUsage usageBefore,
      @Nullable Double costBefore) {
    return new Failed(turn.what() + ": " + why, usageBefore.plus(turn.usage()), turn.usage(),
        CostSum.plus(costBefore, turn.costUsd()), turn.costUsd());
  }
}
