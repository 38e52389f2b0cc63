package dev.cohort.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link RoundCpuBenchmark}'s round in CPU time of the thread that plays it, for a machine too busy
 * for JMH's wall clock to mean much (on two shared cores at load 25 a thread runs a small part of
 * each second). Plays blocks of {@value #BLOCK} rounds: {@value #WARM_UP_BLOCKS} to warm up, then
 * {@value #MEASURED_BLOCKS} measured; prints the minimum and the median CPU time per round. Garbage
 * collection on other threads is not counted (JMH's {@code -prof gc} gives the bytes per round).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.RoundCpuTime
 * </pre>
 */
public final class RoundCpuTime {
  private static final int BLOCK = 1_000;
  private static final int WARM_UP_BLOCKS = 200;
  private static final int MEASURED_BLOCKS = 100;

  private RoundCpuTime() {}

  /**
   * Runs the measurement.
   *
   * @param args none
   * @throws InterruptedException never: the canned model does not wait
   */
  public static void main(String[] args) throws InterruptedException {
    RoundCpuBenchmark round = new RoundCpuBenchmark();
    round.prepare();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] nanos = new long[MEASURED_BLOCKS];
    for (int block = 0; block < WARM_UP_BLOCKS + MEASURED_BLOCKS; block++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < BLOCK; i++) {
        round.round();
      }
      if (block >= WARM_UP_BLOCKS) {
        nanos[block - WARM_UP_BLOCKS] = threads.getCurrentThreadCpuTime() - start;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "CPU per round: min %.2f us, median %.2f us (%d blocks of %d rounds)%n",
        nanos[0] / 1e3 / BLOCK, nanos[MEASURED_BLOCKS / 2] / 1e3 / BLOCK, MEASURED_BLOCKS, BLOCK);
  }
}
