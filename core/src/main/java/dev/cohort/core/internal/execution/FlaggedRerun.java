package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.quality.SimulationFlagger;
import dev.cohort.core.internal.simulation.CallBudget;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.CostSum;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Plays a completed simulation again when it has a flag the batch's {@code rerun_flagged} names
 * (at most {@link BatchRequest#MAX_RERUNS} times, each with its own seed) and keeps the better
 * attempt, the other appended to its attempt history.
 *
 * <p>A rerun is played in memory and stored in one write, {@link WorkQueue#appendAttempt}, under
 * the simulation's lease: a rerun interrupted before that write (a lost lease, a crash, a stop)
 * leaves the earlier attempt recorded as it was, and the next claim, finding every round
 * recorded, decides about the rerun again from the same seed. The calls of an interrupted rerun
 * count in the batch's budget ledger only; those of a stored rerun count in the simulation's usage
 * and cost whichever attempt is kept.
 *
 * <p>The better attempt is the one with fewer flags that {@code rerun_flagged} names (those the
 * user called worth a rerun), then fewer flags in all; on a tie the later attempt is kept.
 */
final class FlaggedRerun {
  private final SimulationEngine engine;
  private final WorkQueue queue;
  private final Clock clock;
  /** Runs a store write, marking a store failure as the task's {@code StoreFailure}. */
  private final Function<BooleanSupplier, Boolean> stored;

  FlaggedRerun(SimulationEngine engine, WorkQueue queue, Clock clock, Function<BooleanSupplier, Boolean> stored) {
    this.engine = engine;
    this.queue = queue;
    this.clock = clock;
    this.stored = stored;
  }

  /**
   * The attempt to keep: {@code first} itself when no rerun is due, else the better of it and its
   * reruns, its usage and cost those of every attempt. Empty when the lease was lost while the
   * rerun was stored: nothing more may be written.
   *
   * @param simulation the simulation as claimed (its attempt history says how many reruns it had)
   * @param first its completed dialogue, every round recorded
   * @param batchSeed the batch's seed, from which each rerun's seed is derived
   * @param appended receives each attempt set aside, once it is stored
   * @throws InterruptedException when the task is stopped during a rerun (nothing of it is stored)
   */
  Optional<Completed> keepBetter(Simulation simulation, Lease lease, Completed first, BatchRequest request,
      String system, long batchSeed, Map<String, Entity> entities, CallBudget budget, List<FailedAttempt> appended)
      throws InterruptedException {
    Set<QualityFlag> wanted = request.rerunFlagged();
    if (wanted.isEmpty()) {
      return Optional.of(first);
    }
    int reruns = (int) simulation.attemptHistory().stream().filter(FailedAttempt::isRerun).count();
    Completed kept = first;
    // What the kept attempt's own calls used: the first attempt's are all the simulation had.
    TokenUsage keptUsage = first.usage();
    @Nullable Double keptCost = first.costUsd();
    TokenUsage total = first.usage();
    @Nullable Double totalCost = first.costUsd();
    List<QualityFlag> keptFlags = flags(request, simulation, kept);
    while (reruns < BatchRequest.MAX_RERUNS && !Collections.disjoint(keptFlags, wanted)) {
      int rerun = reruns + 1;
      Outcome outcome = playAgain(simulation, request, system, seed(batchSeed, simulation.sequenceNumber(), rerun),
          entities, budget);
      FailedAttempt setAside;
      @Nullable List<Turn> keptTurns = null;
      TokenUsage used;
      @Nullable Double cost;
      if (outcome instanceof Completed again) {
        used = again.usage();
        cost = again.costUsd();
        List<QualityFlag> againFlags = flags(request, simulation, again);
        if (score(againFlags, wanted) <= score(keptFlags, wanted)) {
          setAside = new FailedAttempt(simulation.attempts(), "flagged " + names(keptFlags) + "; rerun " + rerun
              + (againFlags.isEmpty() ? " had no flag" : " was flagged " + names(againFlags)) + " and was kept",
              clock.instant(), kept.turns(), keptFlags, rerun, keptUsage, keptCost);
          keptTurns = again.turns();
          kept = again;
          keptFlags = againFlags;
          keptUsage = used;
          keptCost = cost;
        } else {
          setAside = new FailedAttempt(simulation.attempts(), "rerun " + rerun + " was flagged " + names(againFlags)
              + ", worse than the kept attempt's " + names(keptFlags), clock.instant(), again.turns(), againFlags,
              rerun, used, cost);
        }
      } else if (outcome instanceof Failed failed) {
        used = failed.usage();
        cost = failed.costUsd();
        setAside = new FailedAttempt(simulation.attempts(), "rerun " + rerun + " failed: " + failed.error(),
            clock.instant(), List.of(), List.of(), rerun, used, cost);
      } else {
        // Its sinks store nothing, so the engine never finds the lease lost: only the write below can.
        throw new IllegalStateException("a rerun ended neither completed nor failed: " + outcome);
      }
      FailedAttempt entry = setAside;
      @Nullable List<Turn> replacement = keptTurns;
      if (!stored.apply(() -> queue.appendAttempt(lease, entry, replacement, used, cost))) {
        return Optional.empty();
      }
      appended.add(entry);
      total = total.plus(used);
      totalCost = CostSum.plus(totalCost, cost);
      reruns = rerun;
    }
    return Optional.of(new Completed(kept.turns(), total, totalCost, kept.truncatedAnswers()));
  }

  /**
   * Plays the whole dialogue again from nothing, with {@code seed} in place of the batch's seed;
   * its rounds (or turns) are stored only with the rerun's outcome.
   */
  private Outcome playAgain(Simulation simulation, BatchRequest request, String system, long seed,
      Map<String, Entity> entities, CallBudget budget) throws InterruptedException {
    Simulation fresh = new Simulation(simulation.id(), simulation.batchId(), simulation.sequenceNumber(),
        simulation.entityIds(), simulation.speakingOrder(), SimulationStatus.RUNNING, List.of(), null,
        simulation.attempts(), TokenUsage.ZERO, null, simulation.finalTurnNumber(), simulation.createdAt(),
        simulation.startedAt(), null, List.of(), 0.0);
    // Nothing is stored as it is played: the engine's result holds every turn and what the calls used.
    return engine.play(fresh, request, system, seed, entities, round -> true, turn -> true, budget);
  }

  private static List<QualityFlag> flags(BatchRequest request, Simulation simulation, Completed attempt) {
    return SimulationFlagger.flags(request.language(), simulation.entityIds(), attempt.turns(),
        attempt.truncatedAnswers());
  }

  /** How bad an attempt is: flags {@code rerun_flagged} names first, then all flags (lower is better). */
  static long score(List<QualityFlag> flags, Set<QualityFlag> wanted) {
    long named = flags.stream().filter(wanted::contains).count();
    return named * (QualityFlag.values().length + 1) + flags.size();
  }

  /**
   * The seed of rerun {@code rerun} (1 for the first) of the simulation {@code sequence}: derived
   * from the batch's seed only, so a rerun played again after a crash asks the same questions.
   */
  static long seed(long batchSeed, int sequence, int rerun) {
    long h = batchSeed ^ 0x5DEECE66DL;
    h = h * 0xBF58476D1CE4E5B9L + sequence;
    h = h * 0x94D049BB133111EBL + rerun;
    return h ^ (h >>> 29);
  }

  private static String names(List<QualityFlag> flags) {
    return flags.stream().map(QualityFlag::wireName).collect(Collectors.joining(", "));
  }
}
