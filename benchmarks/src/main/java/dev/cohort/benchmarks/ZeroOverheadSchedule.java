package dev.cohort.benchmarks;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * The makespan of a runner that costs nothing itself and does not know latencies in advance: c
 * slots; whenever a slot is free it takes the next simulation in sequence order, which makes its
 * calls back to back and holds the slot until its last call returns. Simulated with an event queue
 * of the moments the slots become free.
 *
 * <p>For a constant latency L this is {@code ceil(N/c)·rounds·L}, the fixed-latency ideal of
 * {@link MakespanHarness#ideal} whenever c divides N. With drawn latencies it is what {@link
 * MakespanHarness} calls the ideal: the best a real runner (which, like this one, takes simulations
 * in order and cannot foresee how long each will take) can hope for.
 */
final class ZeroOverheadSchedule {
  private ZeroOverheadSchedule() {}

  /**
   * The makespan of the zero-overhead runner.
   *
   * @param simulationNanos each simulation's calls' latencies added up, in sequence order
   * @param concurrency c, the most simulations in flight
   */
  static Duration makespan(long[] simulationNanos, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
    }
    PriorityQueue<Long> freeAt = new PriorityQueue<>();
    long end = 0;
    for (int i = 0; i < simulationNanos.length; i++) {
      long latency = simulationNanos[i];
      if (latency < 0) {
        throw new IllegalArgumentException("simulationNanos[" + i + "] is negative: " + latency);
      }
      // Until c simulations are in flight a slot is free at time 0; after that the earliest to free.
      long start = freeAt.size() < concurrency ? 0 : freeAt.poll();
      long finish = start + latency;
      freeAt.add(finish);
      end = Math.max(end, finish);
    }
    return Duration.ofNanos(end);
  }
}
