package dev.cohort.benchmarks;

import dev.cohort.core.sampling.CombinationSampler;
import dev.cohort.core.sampling.SamplingPlan;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Plans each grid point once, in a fresh JVM, and prints how long it took: the cold,
 * once-per-process cost that a batch creation pays, for comparing with the Python reference as a
 * whole process ({@code benchmarks/reference/compare.sh}). JMH's {@link SamplerBenchmark} gives the
 * warmed-up cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.SamplerTiming [n,k,N ...]
 * </pre>
 *
 * Prints one line per point: {@code n k N C(n,k) planned millis}, tab-separated, after a header.
 */
public final class SamplerTiming {
  private static final long SEED = 42;

  private SamplerTiming() {}

  /**
   * Plans every point given as {@code n,k,N} (default: the grid of {@link GridPoint#DEFAULT_GRID}).
   *
   * @param args grid points
   */
  public static void main(String[] args) {
    List<GridPoint> points;
    try {
      points = GridPoint.parseAll(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(points, System.out);
  }

  static void run(List<GridPoint> points, PrintStream out) {
    out.println("n\tk\tN\tC(n,k)\tplanned\tmillis");
    for (GridPoint p : points) {
      long start = System.nanoTime();
      SamplingPlan plan = CombinationSampler.plan(p.n(), p.k(), p.requested(), SEED);
      // A plan draws as it is read: read it all, so the time is the time to plan every combination.
      long drawn = 0;
      for (int[] combination : plan) {
        drawn += combination.length;
      }
      long nanos = System.nanoTime() - start;
      if (drawn != (long) plan.planned() * p.k()) {
        throw new IllegalStateException("drew " + drawn / p.k() + " combinations of " + plan.planned());
      }
      out.printf(Locale.ROOT, "%d\t%d\t%d\t%s\t%d\t%.3f%n",
          p.n(), p.k(), p.requested(), plan.available(), plan.planned(), nanos / 1e6);
    }
  }
}
