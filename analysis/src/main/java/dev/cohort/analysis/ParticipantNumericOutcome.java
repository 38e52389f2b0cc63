package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.AttributeSummary;
import dev.cohort.analysis.Analysis.EntitySummary;
import dev.cohort.analysis.Analysis.IntervalMethod;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A number or boolean with one value per participant: all values together, each entity's values,
 * and the values of entities with each categorical attribute value.
 */
final class ParticipantNumericOutcome implements OutcomeAccumulator {
  private final DeclaredOutcome outcome;
  private final Pool pool;
  private final IntervalMethod method;
  private final Moments all = new Moments();
  private final Moments[] byEntity;
  private final Moments[][] byAttribute;

  ParticipantNumericOutcome(DeclaredOutcome outcome, Pool pool) {
    this.outcome = outcome;
    this.pool = pool;
    this.method = outcome.type() == DeclaredOutcome.Type.BOOLEAN ? IntervalMethod.WILSON : IntervalMethod.T;
    this.byEntity = new Moments[pool.size()];
    for (int i = 0; i < byEntity.length; i++) {
      byEntity[i] = new Moments();
    }
    List<CategoricalAttributes.Attribute> attributes = pool.attributes();
    this.byAttribute = new Moments[attributes.size()][];
    for (int a = 0; a < attributes.size(); a++) {
      byAttribute[a] = new Moments[attributes.get(a).values().size()];
      for (int v = 0; v < byAttribute[a].length; v++) {
        byAttribute[a][v] = new Moments();
      }
    }
  }

  @Override
  public void add(Simulation simulation, int[] members) {
    if (!(simulation.outcomes().get(outcome.name()) instanceof Map<?, ?> answers)) {
      return;
    }
    for (Map.Entry<?, ?> answer : answers.entrySet()) {
      double y = OutcomeAccumulator.numeric(answer.getValue(), outcome.type());
      if (Double.isNaN(y)) {
        continue;
      }
      all.add(y);
      int entity = pool.indexOf(String.valueOf(answer.getKey()));
      if (entity < 0) {
        continue;
      }
      byEntity[entity].add(y);
      List<CategoricalAttributes.Attribute> attributes = pool.attributes();
      for (int a = 0; a < attributes.size(); a++) {
        int v = attributes.get(a).valueIndex()[entity];
        if (v >= 0) {
          byAttribute[a][v].add(y);
        }
      }
    }
  }

  @Override
  public OutcomeAnalysis result() {
    List<EntitySummary> entities = new ArrayList<>();
    for (int i = 0; i < byEntity.length; i++) {
      entities.add(new EntitySummary(pool.entity(i).id(), pool.entity(i).name(),
          Intervals.summary(byEntity[i], method)));
    }
    List<AttributeSummary> attributes = new ArrayList<>();
    List<CategoricalAttributes.Attribute> declared = pool.attributes();
    for (int a = 0; a < declared.size(); a++) {
      for (int v = 0; v < byAttribute[a].length; v++) {
        attributes.add(new AttributeSummary(declared.get(a).name(), declared.get(a).values().get(v),
            Intervals.summary(byAttribute[a][v], method)));
      }
    }
    return new OutcomeAnalysis(outcome.name(), outcome.type(), outcome.per(), Intervals.summary(all, method),
        List.of(), entities, attributes, List.of(), null, List.of(), List.of());
  }
}
