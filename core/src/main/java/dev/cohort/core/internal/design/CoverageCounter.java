package dev.cohort.core.internal.design;

import dev.cohort.core.batch.Coverage;
import dev.cohort.core.batch.Coverage.EntityCoverage;
import dev.cohort.core.batch.Coverage.PairCoverage;
import dev.cohort.core.batch.Coverage.Spread;
import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts a plan's {@link Coverage} one simulation at a time, so a batch of millions is measured
 * while it streams: one counter per entity, one per pair that meets, one per composition seen.
 * Ids outside the pool are ignored.
 */
public final class CoverageCounter {
  private final List<Entity> entities;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> attributes;
  private final long[] appearances;
  private final long[] openings;
  private final PairCounts pairs;
  private final Map<String, Map<String, Long>> composition = new LinkedHashMap<>();
  private long simulations;

  /**
   * @param entities the pool, in pool order
   * @param attributes the attributes whose composition to count
   */
  public CoverageCounter(List<Entity> entities, List<String> attributes) {
    this.entities = List.copyOf(entities);
    this.attributes = List.copyOf(attributes);
    for (int i = 0; i < entities.size(); i++) {
      index.put(entities.get(i).id(), i);
    }
    appearances = new long[entities.size()];
    openings = new long[entities.size()];
    pairs = new PairCounts(Math.max(1, entities.size()));
    for (String a : attributes) {
      composition.put(a, new TreeMap<>());
    }
  }

  /** Counts one simulation: its members and its speaking order (the first speaker opens). */
  public void add(List<String> entityIds, List<String> speakingOrder) {
    simulations++;
    int[] members = entityIds.stream().map(index::get).filter(i -> i != null).mapToInt(Integer::intValue).toArray();
    for (int m : members) {
      appearances[m]++;
    }
    pairs.addGroup(members);
    if (!speakingOrder.isEmpty()) {
      Integer first = index.get(speakingOrder.get(0));
      if (first != null) {
        openings[first]++;
      }
    }
    for (String a : attributes) {
      String[] values = new String[members.length];
      for (int i = 0; i < members.length; i++) {
        values[i] = AttributeText.of(entities.get(members[i]), a);
      }
      Arrays.sort(values);
      composition.get(a).merge(String.join(" + ", values), 1L, Long::sum);
    }
  }

  /** The coverage of everything counted so far. */
  public Coverage result() {
    int n = entities.size();
    List<EntityCoverage> perEntity = new ArrayList<>(n);
    long min = Long.MAX_VALUE;
    long max = 0;
    long sum = 0;
    for (int i = 0; i < n; i++) {
      perEntity.add(new EntityCoverage(entities.get(i).id(), appearances[i], openings[i]));
      min = Math.min(min, appearances[i]);
      max = Math.max(max, appearances[i]);
      sum += appearances[i];
    }
    Spread spread = new Spread(n == 0 ? 0 : min, max, n == 0 ? 0 : (double) sum / n);
    long possible = (long) n * (n - 1) / 2;
    long[] pairStats = {0, Long.MAX_VALUE, 0, 0};
    pairs.forEachCount(count -> {
      pairStats[0]++;
      pairStats[1] = Math.min(pairStats[1], count);
      pairStats[2] = Math.max(pairStats[2], count);
      pairStats[3] += count;
    });
    long covered = pairStats[0];
    long pairMin = possible == 0 ? 0 : covered < possible ? 0 : pairStats[1];
    PairCoverage pairCoverage = new PairCoverage(possible, covered, pairMin, possible == 0 ? 0 : (double) pairStats[3] / possible,
        pairStats[2]);
    return new Coverage(simulations, perEntity, spread, pairCoverage, composition);
  }
}
