package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.NamingRate;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An enum or entity outcome, per simulation or per participant: how often each answer was given,
 * and for entity outcomes how often each entity was named per appearance (an answer "could" name
 * each participant of its simulation).
 */
final class CategoricalOutcome implements OutcomeAccumulator {
  private final DeclaredOutcome outcome;
  private final Pool pool;
  private final boolean entityOutcome;
  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private final long[] appearances;
  private long answers;

  CategoricalOutcome(DeclaredOutcome outcome, Pool pool) {
    this.outcome = outcome;
    this.pool = pool;
    this.entityOutcome = outcome.type() == DeclaredOutcome.Type.ENTITY;
    this.appearances = new long[pool.size()];
    if (entityOutcome) {
      for (int i = 0; i < pool.size(); i++) {
        counts.put(pool.entity(i).id(), new long[1]);
      }
    } else {
      outcome.values().forEach(v -> counts.put(v, new long[1]));
    }
  }

  @Override
  public void add(Simulation simulation, int[] members) {
    Object value = simulation.outcomes().get(outcome.name());
    if (outcome.per() == DeclaredOutcome.Per.PARTICIPANT) {
      if (value instanceof Map<?, ?> answers) {
        answers.values().forEach(answer -> count(answer, members));
      }
    } else {
      count(value, members);
    }
  }

  private void count(@Nullable Object answer, int[] members) {
    if (answer == null) {
      return;
    }
    answers++;
    counts.computeIfAbsent(answer.toString(), k -> new long[1])[0]++;
    if (entityOutcome) {
      for (int m : members) {
        appearances[m]++;
      }
    }
  }

  @Override
  public OutcomeAnalysis result() {
    List<Frequency> frequencies = new ArrayList<>();
    counts.forEach((value, count) -> frequencies.add(new Frequency(value,
        entityOutcome ? pool.nameOf(value) : value, count[0], answers == 0 ? Double.NaN : (double) count[0] / answers)));
    List<NamingRate> rates = new ArrayList<>();
    if (entityOutcome) {
      for (int i = 0; i < pool.size(); i++) {
        long named = counts.get(pool.entity(i).id())[0];
        rates.add(new NamingRate(pool.entity(i).id(), pool.entity(i).name(), named, appearances[i],
            appearances[i] == 0 ? Double.NaN : (double) named / appearances[i]));
      }
    }
    return new OutcomeAnalysis(outcome.name(), outcome.type(), outcome.per(), null, List.of(), List.of(),
        List.of(), List.of(), null, frequencies, rates);
  }
}
