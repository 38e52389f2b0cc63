package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Computes a batch's {@link Analysis} from its simulations, given one at a time in any order: what
 * it keeps grows with the pool and the number of distinct groups, never with transcripts.
 */
final class BatchAnalyzer implements Consumer<Simulation> {
  private final String batchId;
  private final boolean includeFlagged;
  private final Pool pool;
  private final List<OutcomeAccumulator> outcomes = new ArrayList<>();
  private long simulations;
  private long analysed;
  private long excludedFlagged;
  private long unfinished;

  /**
   * @throws ValidationException naming {@code outcome} when the options ask for an outcome the batch
   *     does not declare, or one of free text
   */
  BatchAnalyzer(Batch batch, AnalysisOptions options) {
    this.batchId = batch.id();
    this.includeFlagged = options.includeFlagged();
    this.pool = new Pool(batch.entities());
    List<DeclaredOutcome> all = batch.request().outcomes();
    List<DeclaredOutcome> declared = all;
    String only = options.outcome();
    if (only != null) {
      DeclaredOutcome asked = all.stream().filter(o -> o.name().equals(only)).findFirst()
          .orElseThrow(() -> new ValidationException("outcome", "batch " + batch.id() + " declares no outcome named \""
              + only + "\"" + (all.isEmpty() ? "; it declares none" : "; it declares " + all.stream()
              .map(DeclaredOutcome::name).collect(Collectors.joining(", ")))));
      if (asked.type() == DeclaredOutcome.Type.STRING) {
        throw new ValidationException("outcome", "\"" + only + "\" is a free-text outcome: there is nothing to count"
            + " or average; export the batch to read its answers");
      }
      declared = List.of(asked);
    }
    ModelFactor factor = batch.request().modelFactor();
    for (DeclaredOutcome o : declared) {
      if (o.type() == DeclaredOutcome.Type.STRING) {
        continue; // Free text has no statistic; it stays in the exports.
      }
      outcomes.add(factor.models().size() > 1
          ? new ByModelOutcome(o, factor, pool, () -> accumulator(o, pool)) : accumulator(o, pool));
    }
  }

  /** A fresh accumulator of a declared outcome that is not free text. */
  private static OutcomeAccumulator accumulator(DeclaredOutcome o, Pool pool) {
    return switch (o.type()) {
      case BOOLEAN, INTEGER, NUMBER -> o.per() == DeclaredOutcome.Per.SIMULATION
          ? new SimulationNumericOutcome(o, pool) : new ParticipantNumericOutcome(o, pool);
      case ENUM, ENTITY -> new CategoricalOutcome(o, pool);
      case STRING -> throw new IllegalArgumentException("free-text outcome " + o.name() + " has no statistic");
    };
  }

  @Override
  public void accept(Simulation simulation) {
    simulations++;
    if (simulation.status() != SimulationStatus.COMPLETED) {
      unfinished++;
      return;
    }
    if (!includeFlagged && !simulation.flags().isEmpty()) {
      excludedFlagged++;
      return;
    }
    analysed++;
    int[] members = pool.members(simulation.entityIds());
    for (OutcomeAccumulator o : outcomes) {
      o.add(simulation, members);
    }
  }

  /** The analysis of every simulation given so far. */
  Analysis result() {
    List<OutcomeAnalysis> results = new ArrayList<>();
    outcomes.forEach(o -> results.add(o.result()));
    return new Analysis(batchId, simulations, analysed, excludedFlagged, unfinished, includeFlagged, results);
  }
}
