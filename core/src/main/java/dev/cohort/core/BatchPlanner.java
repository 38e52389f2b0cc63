package dev.cohort.core;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.sampling.CombinationSampler;
import dev.cohort.core.sampling.SamplingPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Turns a validated request into a batch and its pending simulations: the combinations from the
 * {@link CombinationSampler}, each run {@code replicates} times with its own sequence number and a
 * speaking order drawn from the batch seed.
 */
final class BatchPlanner {
  private BatchPlanner() {}

  /**
   * The batch and its simulations, ready to store: the simulations are made as they are read
   * (combination by combination, each {@code replicates} times), never held all at once.
   */
  record Planned(Batch batch, Iterator<Simulation> simulations) {}

  /**
   * @param request validated, with its seed set
   * @param entities the pool's entities in the pool's order
   */
  static Planned plan(String batchId, BatchRequest request, List<Entity> entities, Instant now) {
    long seed = request.seed() == null ? 0 : request.seed();
    SamplingPlan plan = CombinationSampler.plan(
        entities.size(), request.interactionSize(), request.numSimulations(), seed);
    // Cohort.createBatch has checked the size (PlanSize) before planning.
    int replicates = request.replicates();
    long total = (long) plan.planned() * replicates;
    Batch batch = new Batch(batchId, BatchStatus.PENDING, request,
        (long) request.numSimulations() * replicates, total, entities, now, null, null, null,
        BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
    Iterator<int[]> combinations = plan.iterator();
    Iterator<Simulation> simulations = new Iterator<>() {
      private List<String> ids = List.of();
      private int replicate = replicates;
      private int sequence;

      @Override
      public boolean hasNext() {
        return replicate < replicates || combinations.hasNext();
      }

      @Override
      public Simulation next() {
        if (replicate >= replicates) {
          ids = participants(combinations.next(), entities);
          replicate = 0;
        }
        replicate++;
        sequence++;
        return new Simulation(UUID.randomUUID().toString(), batchId, sequence, ids,
            speakingOrder(ids, seed, sequence), SimulationStatus.PENDING, List.of(), null, 0, TokenUsage.ZERO,
            null, request.finalTurnNumber(), now, null, null);
      }
    };
    return new Planned(batch, simulations);
  }

  private static List<String> participants(int[] combination, List<Entity> entities) {
    String[] ids = new String[combination.length];
    for (int i = 0; i < combination.length; i++) {
      ids[i] = entities.get(combination[i]).id();
    }
    return List.of(ids);
  }

  /** A permutation of the participants drawn from the batch seed and the sequence number. */
  static List<String> speakingOrder(List<String> participants, long seed, int sequence) {
    List<String> order = new ArrayList<>(participants);
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * sequence));
    for (int i = order.size() - 1; i > 0; i--) {
      Collections.swap(order, i, random.nextInt(i + 1));
    }
    return order;
  }
}
