package dev.cohort.benchmarks;

import dev.cohort.core.sampling.CombinationSampler;
import dev.cohort.core.sampling.SamplingPlan;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Steady-state cost of {@link CombinationSampler#count} and {@link CombinationSampler#plan} over
 * the grid of {@link GridPoint#DEFAULT_GRID}: time per call, and with {@code -prof gc} the bytes
 * allocated per call ({@code gc.alloc.rate.norm}; divide by N for bytes per combination). Each
 * {@code plan} call uses a new seed, so the benchmark sees many different draws rather than one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamplerBenchmark {
  /** The grid point, as {@code n,k,N}. */
  @Param({"10,2,45", "100,5,10000", "1000,3,100000", "10000,5,100000", "200,10,1000000"})
  public String grid = "10,2,45";

  private GridPoint point = GridPoint.parse(grid);
  private long seed;

  /** Reads the grid point once per trial. */
  @Setup
  public void readGrid() {
    point = GridPoint.parse(grid);
  }

  /** C(n,k), exactly. */
  @Benchmark
  public BigInteger count() {
    return CombinationSampler.count(point.n(), point.k());
  }

  /**
   * A plan of min(N, C(n,k)) distinct combinations, drawn: a plan draws lazily, so the benchmark
   * iterates it and hands every combination to the blackhole.
   */
  @Benchmark
  public void plan(Blackhole blackhole) {
    SamplingPlan plan = CombinationSampler.plan(point.n(), point.k(), point.requested(), seed++);
    for (int[] combination : plan) {
      blackhole.consume(combination);
    }
  }
}
