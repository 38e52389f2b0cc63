package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.CompositionEffect;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.Icc;
import dev.cohort.analysis.Analysis.IntervalMethod;
import dev.cohort.analysis.Analysis.MemberCount;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Simulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A number or boolean with one value per simulation: its summary, each entity's effect, composition
 * effects and the ICC of replicated groups. Memory: a few counters per entity and attribute value,
 * and one per distinct group (for the ICC).
 */
final class SimulationNumericOutcome implements OutcomeAccumulator {
  private final DeclaredOutcome outcome;
  private final Pool pool;
  private final IntervalMethod method;
  private final Moments all = new Moments();
  private final Moments[] with;
  private final Moments[] without;
  /** [attribute][value] → member count → outcome. */
  private final List<List<TreeMap<Integer, Moments>>> composition = new ArrayList<>();
  private final Map<String, Moments> groups = new HashMap<>();

  SimulationNumericOutcome(DeclaredOutcome outcome, Pool pool) {
    this.outcome = outcome;
    this.pool = pool;
    this.method = outcome.type() == DeclaredOutcome.Type.BOOLEAN ? IntervalMethod.WILSON : IntervalMethod.T;
    this.with = new Moments[pool.size()];
    this.without = new Moments[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      with[i] = new Moments();
      without[i] = new Moments();
    }
    for (CategoricalAttributes.Attribute a : pool.attributes()) {
      List<TreeMap<Integer, Moments>> byValue = new ArrayList<>();
      a.values().forEach(v -> byValue.add(new TreeMap<>()));
      composition.add(byValue);
    }
  }

  @Override
  public void add(Simulation simulation, int[] members) {
    double y = OutcomeAccumulator.numeric(simulation.outcomes().get(outcome.name()), outcome.type());
    if (Double.isNaN(y)) {
      return;
    }
    all.add(y);
    boolean[] present = new boolean[pool.size()];
    for (int m : members) {
      present[m] = true;
    }
    for (int i = 0; i < present.length; i++) {
      (present[i] ? with[i] : without[i]).add(y);
    }
    List<CategoricalAttributes.Attribute> attributes = pool.attributes();
    for (int a = 0; a < attributes.size(); a++) {
      CategoricalAttributes.Attribute attribute = attributes.get(a);
      int[] counts = new int[attribute.values().size()];
      for (int m : members) {
        int v = attribute.valueIndex()[m];
        if (v >= 0) {
          counts[v]++;
        }
      }
      for (int v = 0; v < counts.length; v++) {
        composition.get(a).get(v).computeIfAbsent(counts[v], c -> new Moments()).add(y);
      }
    }
    groups.computeIfAbsent(groupKey(simulation.entityIds()), k -> new Moments()).add(y);
  }

  /** The combination regardless of order: replicates of a group share it. */
  private static String groupKey(List<String> entityIds) {
    String[] ids = entityIds.toArray(String[]::new);
    Arrays.sort(ids);
    return String.join("\u0000", ids);
  }

  @Override
  public OutcomeAnalysis result() {
    return new OutcomeAnalysis(outcome.name(), outcome.type(), outcome.per(), Intervals.summary(all, method),
        entityEffects(), List.of(), List.of(), compositionEffects(), icc(), List.of(), List.of());
  }

  private List<EntityEffect> entityEffects() {
    double[][] tests = new double[pool.size()][];
    double[] p = new double[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      tests[i] = Intervals.welch(with[i], without[i]);
      p[i] = tests[i][5];
    }
    double[] holm = Intervals.holm(p);
    List<EntityEffect> effects = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      double[] w = tests[i];
      effects.add(new EntityEffect(pool.entity(i).id(), pool.entity(i).name(), Intervals.summary(with[i], method),
          Intervals.summary(without[i], method), w[0], w[1], w[2], w[3], w[4], w[5], holm[i]));
    }
    // Largest difference first; entities whose difference is unknown (never or always present) last.
    effects.sort(Comparator.comparingDouble((EntityEffect e) -> Double.isNaN(e.difference())
        ? Double.NEGATIVE_INFINITY : e.difference()).reversed());
    return effects;
  }

  private List<CompositionEffect> compositionEffects() {
    List<CompositionEffect> effects = new ArrayList<>();
    List<CategoricalAttributes.Attribute> attributes = pool.attributes();
    for (int a = 0; a < attributes.size(); a++) {
      for (int v = 0; v < attributes.get(a).values().size(); v++) {
        List<MemberCount> byMembers = new ArrayList<>();
        composition.get(a).get(v).forEach((members, m) -> byMembers.add(new MemberCount(members,
            Intervals.summary(m, method))));
        effects.add(new CompositionEffect(attributes.get(a).name(), attributes.get(a).values().get(v), byMembers));
      }
    }
    return effects;
  }

  /** ICC(1) over the groups that ran at least twice; null with fewer than two such groups. */
  private @Nullable Icc icc() {
    long k = 0;
    long n = 0;
    double sum = 0;
    double sumOfSquaredSizes = 0;
    double within = 0;
    for (Moments g : groups.values()) {
      if (g.n() >= 2) {
        k++;
        n += g.n();
        sum += g.mean() * g.n();
        sumOfSquaredSizes += (double) g.n() * g.n();
        within += g.sumOfSquares();
      }
    }
    if (k < 2 || n <= k) {
      return null;
    }
    double grand = sum / n;
    double between = 0;
    for (Moments g : groups.values()) {
      if (g.n() >= 2) {
        double d = g.mean() - grand;
        between += g.n() * d * d;
      }
    }
    double msb = between / (k - 1);
    double msw = within / (n - k);
    double f = msb / msw;
    double n0 = (n - sumOfSquaredSizes / n) / (k - 1);
    double icc = (msb - msw) / (msb + (n0 - 1) * msw);
    return new Icc(k, n, msb, msw, f, Intervals.fUpperTail(f, k - 1, n - k), icc);
  }
}
