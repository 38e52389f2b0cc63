package dev.cohort.core;

import dev.cohort.core.batch.Simulation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Gives planned simulations their models, as they are read: crossed (each planned simulation once
 * per model, numbered group-major) or balanced (each on one model, every model equally often).
 */
final class ModelPlan {
  private ModelPlan() {}

  /**
   * Each of {@code planned} once per model, in the order the models are named: planned simulation
   * p (1-based) becomes sequence numbers (p − 1) × m + 1 … p × m, each with p's group and speaking
   * order, so the i-th simulation of every model shares them (and, through {@link
   * dev.cohort.core.batch.ModelFactor#groupSequence}, its call seeds).
   */
  static Iterator<Simulation> crossed(Iterator<Simulation> planned, List<String> models) {
    int m = models.size();
    return new Iterator<>() {
      private Simulation current = null;
      private int next = m;

      @Override
      public boolean hasNext() {
        return next < m || planned.hasNext();
      }

      @Override
      public Simulation next() {
        if (next >= m) {
          current = planned.next();
          next = 0;
        }
        Simulation p = current;
        int sequence = (p.sequenceNumber() - 1) * m + next + 1;
        Simulation copy = new Simulation(next == 0 ? p.id() : UUID.randomUUID().toString(), p.batchId(), sequence,
            p.entityIds(), p.speakingOrder(), p.status(), p.turns(), p.error(), p.attempts(), p.usage(), p.model(),
            p.finalTurnNumber(), p.createdAt(), p.startedAt(), p.finishedAt())
            .withPlannedModel(models.get(next));
        next++;
        return copy;
      }
    };
  }

  /**
   * Each of {@code planned} on one model: the planned simulations are taken in blocks of as many
   * as there are models, and each block gives every model one of them, in an order drawn from the
   * seed and the block's number. So every model runs the same number of simulations (the last,
   * partial block gives one more to some), and where a model runs does not follow the sequence.
   */
  static Iterator<Simulation> balanced(Iterator<Simulation> planned, List<String> models, long seed) {
    int m = models.size();
    return new Iterator<>() {
      private List<String> block = List.of();

      @Override
      public boolean hasNext() {
        return planned.hasNext();
      }

      @Override
      public Simulation next() {
        if (!planned.hasNext()) {
          throw new NoSuchElementException();
        }
        Simulation p = planned.next();
        int position = (p.sequenceNumber() - 1) % m;
        if (position == 0 || block.isEmpty()) {
          block = blockOrder(models, seed, (p.sequenceNumber() - 1) / m);
        }
        return p.withPlannedModel(block.get(position));
      }
    };
  }

  /** The models in the order block {@code block} gives them out: a permutation drawn from the seed. */
  static List<String> blockOrder(List<String> models, long seed, long block) {
    List<String> order = new ArrayList<>(models);
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL ^ (0xC2B2AE3D27D4EB4FL * (block + 1)));
    for (int i = order.size() - 1; i > 0; i--) {
      Collections.swap(order, i, random.nextInt(i + 1));
    }
    return order;
  }
}
