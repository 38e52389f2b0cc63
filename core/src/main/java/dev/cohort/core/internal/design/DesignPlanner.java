package dev.cohort.core.internal.design;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.DesignType;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.sampling.CombinationSampler;
import dev.cohort.core.sampling.SamplingPlan;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Chooses a request's groups by its {@link dev.cohort.core.batch.Design design} and {@link
 * Constraints}, for a new batch ({@link #plan}) or for more groups of an existing one ({@link
 * #extend}).
 *
 * <p>What an extension guarantees:
 * <ul>
 *   <li><b>random</b>: the groups of a batch created with num_simulations N and extended by M₁, M₂…
 *       are exactly the first N + M₁ + M₂… groups, in order, of the seed's draw sequence under the
 *       strategy chosen for N. That is the plan of creating N + ΣM at once whenever that plan uses
 *       the same strategy: always under constraints when the feasible count exceeds 2(N + ΣM), and
 *       without constraints when C(n,k) &gt; 2(N + ΣM) (uniform draws) or N &lt; C(n,k) ≤ 2N and
 *       N + ΣM &lt; C(n,k) (the shuffle). Otherwise the extension still continues N's draw
 *       sequence, so the new groups are distinct, uniform, and never in the batch already.</li>
 *   <li><b>balanced</b>: the new groups continue from the appearance counts of all groups planned
 *       so far, so a batch whose appearances were within one of each other stays so as a whole
 *       (barring the rare forced repeat described in {@code BalancedGroups}); pair co-occurrence
 *       keeps being evened out.</li>
 *   <li><b>explicit</b>: cannot grow; create a batch with the new groups.</li>
 * </ul>
 */
public final class DesignPlanner {
  /** Largest C(n,k) for which a dense balanced plan is made as the complement of a balanced one. */
  static final int COMPLEMENT_LIMIT = 2_000_000;
  /**
   * Most groups of a balanced plan held in memory for {@link SpreadRepair}; larger plans stream
   * straight from {@link BalancedGroups}, whose rare forced repeat is then not repaired.
   */
  static final int REPAIRED_LIMIT = 2_000_000;

  private DesignPlanner() {}

  /**
   * The groups of a new batch.
   *
   * @param entities the pool's entities in the pool's order
   * @throws ValidationException when the constraints cannot be met (naming why)
   */
  public static GroupPlan plan(BatchRequest request, List<Entity> entities, long seed) {
    int n = entities.size();
    int k = request.interactionSize();
    int wanted = request.numSimulations();
    Constraints constraints = request.constraints();
    DesignType type = request.design().type();
    if (type == DesignType.EXPLICIT) {
      List<int[]> groups = explicitGroups(request, entities);
      return new GroupPlan(groups.size(), BigInteger.valueOf(groups.size()), groups.iterator());
    }
    if (constraints.isEmpty()) {
      BigInteger available = CombinationSampler.count(n, k);
      if (type == DesignType.RANDOM || available.compareTo(BigInteger.valueOf(wanted)) <= 0) {
        // All combinations (when no more exist) are perfectly balanced already.
        SamplingPlan plan = CombinationSampler.plan(n, k, wanted, seed);
        return new GroupPlan(plan.planned(), plan.available(), plan.iterator());
      }
      if (available.compareTo(BigInteger.valueOf(COMPLEMENT_LIMIT)) <= 0
          && available.compareTo(BigInteger.valueOf(2L * wanted)) <= 0) {
        return complement(n, k, wanted, available.intValueExact(), seed);
      }
      if (wanted <= REPAIRED_LIMIT) {
        List<int[]> groups = balancedGroups(new BalancedGroups(n, k, seed), List.of(), wanted, n);
        return new GroupPlan(wanted, available, groups.iterator());
      }
      BalancedGroups balanced = new BalancedGroups(n, k, seed);
      return new GroupPlan(wanted, available, limited(wanted, balanced::next));
    }
    FeasibleGroups feasible = FeasibleGroups.of(entities, k, constraints);
    BigInteger available = feasible.count();
    int planned = available.min(BigInteger.valueOf(wanted)).intValueExact();
    if (type == DesignType.RANDOM || available.compareTo(BigInteger.valueOf(wanted)) <= 0) {
      RankDraws ranks = new RankDraws(available, wanted, seed);
      return new GroupPlan(planned, available, limited(planned, () -> feasible.group(ranks.next())));
    }
    BalancedFeasibleGroups balanced = new BalancedFeasibleGroups(feasible, n, seed);
    return new GroupPlan(planned, available, limited(planned, balanced::next));
  }

  /**
   * How many groups the request's design chooses from: C(n,k), the feasible count under
   * constraints, or the number of explicit groups.
   *
   * @throws ValidationException when the constraints cannot be met
   */
  public static BigInteger available(BatchRequest request, List<Entity> entities) {
    if (request.design().type() == DesignType.EXPLICIT) {
      return BigInteger.valueOf(request.design().groups().size());
    }
    if (request.constraints().isEmpty()) {
      return CombinationSampler.count(entities.size(), request.interactionSize());
    }
    return FeasibleGroups.of(entities, request.interactionSize(), request.constraints()).count();
  }

  /**
   * Up to {@code more} new groups for a batch that has planned {@code existing} (in plan order).
   *
   * @throws ValidationException naming {@code design} for an explicit design
   */
  public static GroupPlan extend(BatchRequest request, List<Entity> entities, long seed, List<int[]> existing,
      int more) {
    int n = entities.size();
    int k = request.interactionSize();
    Constraints constraints = request.constraints();
    DesignType type = request.design().type();
    int have = existing.size();
    if (type == DesignType.EXPLICIT) {
      throw new ValidationException("design", "an explicit design cannot grow: its groups are the researcher's;"
          + " create a new batch with the further groups");
    }
    long total = (long) request.totalNumSimulations() + more;
    int totalWanted = (int) Math.min(Integer.MAX_VALUE, Math.max(total, have + (long) more));
    // Balanced extensions draw afresh from the counts: a seed of their own keeps them from
    // replaying the first plan's choices.
    long extensionSeed = new SplittableRandom(seed ^ (0xD1B54A32D192ED03L * (request.extensions().size() + 1)))
        .nextLong();
    if (constraints.isEmpty()) {
      BigInteger available = CombinationSampler.count(n, k);
      int planned = available.subtract(BigInteger.valueOf(have)).min(BigInteger.valueOf(more)).max(BigInteger.ZERO)
          .intValueExact();
      if (type == DesignType.RANDOM) {
        SamplingPlan plan = CombinationSampler.extended(n, k, request.numSimulations(), totalWanted, seed);
        Iterator<int[]> draws = plan.iterator();
        return new GroupPlan(planned, available, skipping(draws, have, planned));
      }
      BalancedGroups balanced = new BalancedGroups(n, k, extensionSeed);
      existing.forEach(balanced::record);
      if (planned <= REPAIRED_LIMIT) {
        return new GroupPlan(planned, available, balancedGroups(balanced, existing, planned, n).iterator());
      }
      return new GroupPlan(planned, available, limited(planned, balanced::next));
    }
    FeasibleGroups feasible = FeasibleGroups.of(entities, k, constraints);
    BigInteger available = feasible.count();
    int planned = available.subtract(BigInteger.valueOf(have)).min(BigInteger.valueOf(more)).max(BigInteger.ZERO)
        .intValueExact();
    if (type == DesignType.RANDOM) {
      RankDraws ranks = new RankDraws(available, request.numSimulations(), seed);
      Iterator<int[]> draws = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return ranks.hasNext();
        }

        @Override
        public int[] next() {
          return feasible.group(ranks.next());
        }
      };
      return new GroupPlan(planned, available, skipping(draws, have, planned));
    }
    BalancedFeasibleGroups balanced = new BalancedFeasibleGroups(feasible, n, extensionSeed);
    existing.forEach(balanced::record);
    return new GroupPlan(planned, available, limited(planned, balanced::next));
  }

  /** The explicit groups as pool indices, in the order given. */
  private static List<int[]> explicitGroups(BatchRequest request, List<Entity> entities) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < entities.size(); i++) {
      index.put(entities.get(i).id(), i);
    }
    List<int[]> out = new ArrayList<>();
    for (List<String> group : request.design().groups()) {
      out.add(group.stream().mapToInt(id -> {
        Integer at = index.get(id);
        if (at == null) {
          throw new ValidationException("design.groups", "names entity '" + id + "', which is not in the pool");
        }
        return at;
      }).toArray());
    }
    return out;
  }

  /**
   * A balanced plan of {@code wanted} of the {@code available} ≤ 2·wanted groups: all groups but a
   * balanced set of the others. Every index appears C(n-1,k-1) times among all groups, so removing a
   * set whose appearances are within one leaves a set whose appearances are within one; pairs
   * likewise. The groups come in a seeded shuffled order.
   */
  private static GroupPlan complement(int n, int k, int wanted, int available, long seed) {
    List<int[]> removed = balancedGroups(new BalancedGroups(n, k, seed), List.of(), available - wanted, n);
    java.util.Set<GroupKey> removedKeys = new java.util.HashSet<>();
    removed.forEach(g -> removedKeys.add(new GroupKey(g)));
    List<int[]> kept = new ArrayList<>(wanted);
    for (int[] group : CombinationSampler.plan(n, k, available, seed)) {
      if (!removedKeys.contains(new GroupKey(group))) {
        kept.add(group);
      }
    }
    Collections.shuffle(kept, new java.util.Random(seed));
    return new GroupPlan(kept.size(), BigInteger.valueOf(available), kept.iterator());
  }

  /**
   * {@code count} new groups of {@code balanced} (which has recorded {@code existing}), held in
   * memory so that a forced repeat, if the generator had to widen, can be repaired ({@link
   * SpreadRepair}) before any group is handed out.
   */
  private static List<int[]> balancedGroups(BalancedGroups balanced, List<int[]> existing, int count, int n) {
    List<int[]> all = new ArrayList<>(existing.size() + count);
    all.addAll(existing);
    for (int i = 0; i < count; i++) {
      all.add(balanced.next());
    }
    if (balanced.widened() > 0) {
      SpreadRepair.repair(all, n, existing.size());
    }
    return new ArrayList<>(all.subList(existing.size(), all.size()));
  }

  /** {@code count} items of {@code source}. */
  private static Iterator<int[]> limited(int count, Supplier<int[]> source) {
    return new Iterator<>() {
      private int yielded;

      @Override
      public boolean hasNext() {
        return yielded < count;
      }

      @Override
      public int[] next() {
        if (yielded >= count) {
          throw new NoSuchElementException("the plan has " + count + " groups");
        }
        yielded++;
        return source.get();
      }
    };
  }

  /** {@code count} items of {@code source} after its first {@code skip}. */
  private static Iterator<int[]> skipping(Iterator<int[]> source, int skip, int count) {
    return limited(count, new Supplier<>() {
      private boolean skipped;

      @Override
      public int[] get() {
        if (!skipped) {
          for (int i = 0; i < skip; i++) {
            source.next();
          }
          skipped = true;
        }
        return source.next();
      }
    });
  }
}
