package dev.cohort.core.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a batch's plan covers its pool, computed from the planned simulations (so it is known before
 * anything runs): how often each entity appears and opens, how evenly pairs meet, and what the
 * groups are made of. Every count is over simulations, so replicates count once each.
 *
 * @param simulations how many simulations were counted
 * @param entities per entity of the pool, in pool order: appearances and how often it spoke first
 * @param appearances the fewest, most and mean appearances over the pool
 * @param pairs how the pool's pairs co-occur
 * @param composition per attribute, how many simulations have each composition: the members'
 *     values sorted and joined with {@code " + "} (entities without the attribute show "none")
 */
public record Coverage(long simulations, List<EntityCoverage> entities, Spread appearances, PairCoverage pairs,
    Map<String, Map<String, Long>> composition) {

  /** Copies the lists and maps. */
  public Coverage {
    entities = List.copyOf(entities);
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    composition.forEach((attribute, counts) -> copy.put(attribute, Collections.unmodifiableMap(new LinkedHashMap<>(counts))));
    composition = Collections.unmodifiableMap(copy);
  }

  /**
   * One entity's share of the plan.
   *
   * @param entityId the entity
   * @param appearances simulations it takes part in
   * @param spokeFirst simulations whose speaking order it opens
   */
  public record EntityCoverage(String entityId, long appearances, long spokeFirst) {}

  /**
   * Fewest, most and mean of a count.
   *
   * @param min the fewest
   * @param max the most
   * @param mean the mean
   */
  public record Spread(long min, long max, double mean) {
    /** max − min. */
    public long range() {
      return max - min;
    }
  }

  /**
   * Pair co-occurrence over the pool's C(n, 2) pairs.
   *
   * @param possible C(n, 2)
   * @param covered pairs that meet in at least one simulation
   * @param min the fewest simulations a pair shares (0 when a pair never meets)
   * @param mean the mean over all possible pairs
   * @param max the most simulations a pair shares
   */
  public record PairCoverage(long possible, long covered, long min, double mean, long max) {
    /** max − min. */
    public long range() {
      return max - min;
    }
  }
}
