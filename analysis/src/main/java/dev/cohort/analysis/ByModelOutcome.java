package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.ModelComparison.Method;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.Simulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One outcome of a batch that names several models: the outcome over every simulation (as without
 * models), the same analysis of each model's simulations, and for numbers and booleans each pair of
 * models' difference. A crossed batch pairs simulations by their planned group × replicate ({@link
 * ModelFactor#groupSequence}), a per-participant outcome by group × replicate and participant; so
 * besides a few counters per model it keeps one value per model for each planned group × replicate
 * (and participant), never transcripts.
 */
final class ByModelOutcome implements OutcomeAccumulator {
  private final DeclaredOutcome outcome;
  private final OutcomeAccumulator all;
  private final ModelFactor factor;
  private final Pool pool;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<OutcomeAccumulator> byModel = new ArrayList<>();
  private final boolean numeric;
  private final Moments[] values;
  /** Pairing unit → the value of each model there (NaN: none); crossed batches only. */
  private final Map<Long, double[]> units = new HashMap<>();

  /**
   * @param accumulator makes a fresh accumulator of the outcome: one for all simulations, one per model
   */
  ByModelOutcome(DeclaredOutcome outcome, ModelFactor factor, Pool pool, Supplier<OutcomeAccumulator> accumulator) {
    this.outcome = outcome;
    this.factor = factor;
    this.pool = pool;
    this.all = accumulator.get();
    List<String> models = factor.models();
    this.values = new Moments[models.size()];
    for (int m = 0; m < models.size(); m++) {
      index.put(models.get(m), m);
      byModel.add(accumulator.get());
      values[m] = new Moments();
    }
    this.numeric = switch (outcome.type()) {
      case BOOLEAN, INTEGER, NUMBER -> true;
      case ENUM, ENTITY, STRING -> false;
    };
  }

  private boolean paired() {
    return factor.assignment() == ModelAssignment.CROSSED;
  }

  @Override
  public void add(Simulation simulation, int[] members) {
    all.add(simulation, members);
    String name = simulation.modelName();
    Integer m = name == null ? null : index.get(name);
    if (m == null) {
      // Not planned for one of the batch's models (a batch stored before models were named).
      return;
    }
    byModel.get(m).add(simulation, members);
    if (!numeric) {
      return;
    }
    long unit = factor.groupSequence(simulation.sequenceNumber());
    Object value = simulation.outcomes().get(outcome.name());
    if (outcome.per() == DeclaredOutcome.Per.SIMULATION) {
      record(m, unit, OutcomeAccumulator.numeric(value, outcome.type()));
    } else if (value instanceof Map<?, ?> answers) {
      for (Map.Entry<?, ?> answer : answers.entrySet()) {
        // An answer about someone outside the pool counts in the model's values, as in its summary,
        // but has no partner to pair with.
        int entity = pool.indexOf(String.valueOf(answer.getKey()));
        record(m, entity < 0 ? -1 : unit * pool.size() + entity,
            OutcomeAccumulator.numeric(answer.getValue(), outcome.type()));
      }
    }
  }

  /** Takes in one value of {@code model}; {@code unit} is its pairing unit, negative for none. */
  private void record(int model, long unit, double y) {
    if (Double.isNaN(y)) {
      return;
    }
    values[model].add(y);
    if (paired() && unit >= 0) {
      units.computeIfAbsent(unit, u -> {
        double[] none = new double[values.length];
        Arrays.fill(none, Double.NaN);
        return none;
      })[model] = y;
    }
  }

  @Override
  public OutcomeAnalysis result() {
    List<String> models = factor.models();
    List<ModelOutcome> outcomes = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      outcomes.add(new ModelOutcome(models.get(m), byModel.get(m).result()));
    }
    List<ModelDifference> differences = new ArrayList<>();
    if (numeric) {
      List<double[]> tests = new ArrayList<>();
      List<long[]> sizes = new ArrayList<>();
      for (int a = 0; a < models.size(); a++) {
        for (int b = a + 1; b < models.size(); b++) {
          if (paired()) {
            Moments d = new Moments();
            for (double[] v : units.values()) {
              if (!Double.isNaN(v[a]) && !Double.isNaN(v[b])) {
                d.add(v[a] - v[b]);
              }
            }
            tests.add(Intervals.pairedT(d));
            sizes.add(new long[] {d.n(), d.n()});
          } else {
            tests.add(Intervals.welch(values[a], values[b]));
            sizes.add(new long[] {0, values[a].n() + values[b].n()});
          }
        }
      }
      double[] p = tests.stream().mapToDouble(t -> t[5]).toArray();
      double[] holm = Intervals.holm(p);
      int i = 0;
      for (int a = 0; a < models.size(); a++) {
        for (int b = a + 1; b < models.size(); b++, i++) {
          double[] t = tests.get(i);
          differences.add(new ModelDifference(models.get(a), models.get(b), paired() ? Method.PAIRED_T : Method.WELCH,
              sizes.get(i)[0], sizes.get(i)[1], t[0], t[1], t[2], t[3], t[4], t[5], holm[i]));
        }
      }
    }
    return all.result().withModels(new ModelComparison(factor.assignment(), outcomes, differences));
  }
}
