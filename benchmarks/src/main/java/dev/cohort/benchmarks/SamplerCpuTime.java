package dev.cohort.benchmarks;

import dev.cohort.core.sampling.CombinationSampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Warm sampler cost in CPU time of the planning thread, for a machine too busy for JMH's wall
 * clock to mean much: each grid point is planned (and fully drawn) 30 times to warm up, then 60
 * times measured; prints the minimum and the median. Garbage collection on other threads is not
 * counted (JMH's {@code -prof gc} shows how little a plan allocates).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.SamplerCpuTime 10000,5,100000
 * </pre>
 */
public final class SamplerCpuTime {
  private static final int WARM_UP = 30;
  private static final int MEASURED = 60;

  private SamplerCpuTime() {}

  /**
   * Runs the measurement.
   *
   * @param args grid points as {@code n,k,N}; the default grid when none
   */
  public static void main(String[] args) {
    List<GridPoint> points = GridPoint.parseAll(Arrays.asList(args));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.println("n\tk\tN\tmin_ms\tmedian_ms");
    long seed = 1;
    long sink = 0;
    for (GridPoint p : points) {
      long[] nanos = new long[MEASURED];
      for (int i = 0; i < WARM_UP + MEASURED; i++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int[] combination : CombinationSampler.plan(p.n(), p.k(), p.requested(), seed++)) {
          sink += combination[0];
        }
        if (i >= WARM_UP) {
          nanos[i - WARM_UP] = threads.getCurrentThreadCpuTime() - start;
        }
      }
      Arrays.sort(nanos);
      System.out.printf(Locale.ROOT, "%d\t%d\t%d\t%.2f\t%.2f%n", p.n(), p.k(), p.requested(), nanos[0] / 1e6,
          nanos[MEASURED / 2] / 1e6);
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
