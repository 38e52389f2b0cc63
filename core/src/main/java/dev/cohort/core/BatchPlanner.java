package dev.cohort.core;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.internal.design.DesignPlanner;
import dev.cohort.core.internal.design.GroupPlan;
import dev.cohort.core.internal.design.SpeakingOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns a validated request into a batch and its pending simulations: the groups its design
 * chooses ({@link DesignPlanner}), each run {@code replicates} times with its own sequence number
 * and a speaking order (drawn from the batch seed, rotated or fixed, as the request says), and,
 * when the request names models, on each of them or on one each ({@link ModelPlan}).
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
   * @throws dev.cohort.core.batch.ValidationException when the design's constraints cannot be met
   */
  static Planned plan(String batchId, BatchRequest request, List<Entity> entities, Instant now) {
    long seed = request.seed() == null ? 0 : request.seed();
    GroupPlan plan = DesignPlanner.plan(request, entities, seed);
    // Cohort.createBatch has checked the size (PlanSize) before planning.
    int replicates = request.replicates();
    long total = (long) plan.planned() * replicates * request.modelFactor().copiesPerPlanned();
    Batch batch = new Batch(batchId, BatchStatus.PENDING, request,
        (long) request.numSimulations() * replicates, total, entities, now, null, null, null,
        BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
    SpeakingOrders orders = request.speakingOrder() == SpeakingOrder.RANDOM ? null
        : new SpeakingOrders(request.speakingOrder());
    return new Planned(batch, simulations(batchId, request, entities, plan.groups(), 0, orders, now));
  }

  /**
   * The simulations of {@code groups}, each {@code replicates} times, numbered from {@code
   * afterSequence} + 1, made as they are read.
   *
   * @param orders the rotate or fixed orders, or null for the random order
   */
  static Iterator<Simulation> simulations(String batchId, BatchRequest request, List<Entity> entities,
      Iterator<int[]> groups, int afterSequence, @Nullable SpeakingOrders orders, Instant now) {
    ModelFactor factor = request.modelFactor();
    if (factor.models().isEmpty()) {
      return oneModel(batchId, request, entities, groups, afterSequence, orders, now);
    }
    int copies = factor.copiesPerPlanned();
    Iterator<Simulation> planned = oneModel(batchId, request, entities, groups, afterSequence / copies, orders, now);
    long seed = request.seed() == null ? 0 : request.seed();
    return copies > 1 ? ModelPlan.crossed(planned, factor.models()) : ModelPlan.balanced(planned, factor.models(), seed);
  }

  /** The simulations of {@code groups} on the one model (none named); see {@link #simulations}. */
  private static Iterator<Simulation> oneModel(String batchId, BatchRequest request, List<Entity> entities,
      Iterator<int[]> groups, int afterSequence, @Nullable SpeakingOrders orders, Instant now) {
    long seed = request.seed() == null ? 0 : request.seed();
    int replicates = request.replicates();
    return new Iterator<>() {
      private List<String> ids = List.of();
      private int replicate = replicates;
      private int sequence = afterSequence;

      @Override
      public boolean hasNext() {
        return replicate < replicates || groups.hasNext();
      }

      @Override
      public Simulation next() {
        if (replicate >= replicates) {
          ids = participants(groups.next(), entities);
          replicate = 0;
        }
        sequence++;
        List<String> order = orders == null ? speakingOrder(ids, seed, sequence) : orders.order(ids, replicate);
        replicate++;
        return new Simulation(UUID.randomUUID().toString(), batchId, sequence, ids,
            order, SimulationStatus.PENDING, List.of(), null, 0, TokenUsage.ZERO,
            null, request.finalTurnNumber(), now, null, null);
      }
    };
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
