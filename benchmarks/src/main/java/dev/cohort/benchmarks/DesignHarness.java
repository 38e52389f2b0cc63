package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Coverage;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the study designs through the public API ({@link Cohort#planCoverage}: plan a request
 * without storing it and count its coverage): how long a balanced plan of N = 100,000 groups from
 * n = 10,000 entities takes, and, on a grid of (n, k, N), how evenly balanced and random plans
 * spread appearances and pair co-occurrence (max − min), each over three seeds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.DesignHarness
 * </pre>
 */
public final class DesignHarness {
  /** The grid of (n, k, N) for the spread comparison. */
  static final int[][] GRID = {{10, 2, 20}, {12, 3, 60}, {20, 2, 100}, {20, 3, 300}, {30, 3, 500},
      {50, 4, 1_000}, {100, 3, 2_000}, {100, 5, 5_000}, {1_000, 3, 10_000}, {1_000, 2, 50_000}};
  private static final long[] SEEDS = {1, 2, 3};

  private DesignHarness() {}

  /**
   * Runs the timing, then the grid.
   *
   * @param args none
   */
  public static void main(String[] args) {
    run(System.out);
  }

  static void run(PrintStream out) {
    Map<Integer, Cohort> cohorts = new java.util.HashMap<>();
    try {
      out.println("# balanced plan of N = 100000 from n = 10000 (plan + coverage; first run warms up)");
      out.println("design\tk\tmillis\tappearance_range\tpair_max\tpair_range");
      for (int round = 0; round < 2; round++) {
        for (int k : new int[] {2, 3, 5}) {
          for (Design design : List.of(Design.random(), Design.balanced())) {
            Cohort cohort = cohorts.computeIfAbsent(10_000, DesignHarness::cohortWithPool);
            long start = System.nanoTime();
            Coverage c = cohort.planCoverage(request(10_000, k, 100_000, 42, design), List.of());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (round == 1) {
              out.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%d%n", design.type().wireName(), k, millis,
                  c.appearances().range(), c.pairs().max(), c.pairs().range());
            }
          }
        }
      }
      out.println("# spread of appearances and pair co-occurrence (max - min), mean of 3 seeds");
      out.println("n\tk\tN\trandom_appearances\tbalanced_appearances\trandom_pairs\tbalanced_pairs");
      for (int[] p : GRID) {
        Cohort cohort = cohorts.computeIfAbsent(p[0], DesignHarness::cohortWithPool);
        double[] sums = new double[4];
        for (long seed : SEEDS) {
          Coverage random = cohort.planCoverage(request(p[0], p[1], p[2], seed, Design.random()), List.of());
          Coverage balanced = cohort.planCoverage(request(p[0], p[1], p[2], seed, Design.balanced()), List.of());
          sums[0] += random.appearances().range();
          sums[1] += balanced.appearances().range();
          sums[2] += random.pairs().range();
          sums[3] += balanced.pairs().range();
        }
        out.printf(Locale.ROOT, "%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f%n", p[0], p[1], p[2], sums[0] / SEEDS.length,
            sums[1] / SEEDS.length, sums[2] / SEEDS.length, sums[3] / SEEDS.length);
      }
    } finally {
      cohorts.values().forEach(Cohort::close);
    }
  }

  private static Cohort cohortWithPool(int n) {
    Cohort cohort = Cohort.builder().repository(InMemoryRepository.create()).build();
    List<Entity> entities = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entities.add(Entity.of("e" + i, "Entity " + i, null));
    }
    cohort.saveEntities(entities);
    return cohort;
  }

  private static BatchRequest request(int n, int k, int size, long seed, Design design) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("e" + i);
    }
    return BatchRequest.builder().name("design").context("benchmark").entityIds(ids).interactionSize(k)
        .numSimulations(size).seed(seed).design(design).build();
  }
}
