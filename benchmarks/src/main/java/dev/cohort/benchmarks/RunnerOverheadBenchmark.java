package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Cohort itself costs per simulation when the model costs nothing: one operation is a whole
 * batch of {@value #SIMULATIONS} one-turn, one-round simulations through {@link Cohort#run}
 * against a zero-latency {@link SimulatedLlm} and an {@link InMemoryRepository}, reported per
 * simulation ({@link OperationsPerInvocation}). So the score is simulations per second, and with
 * {@code -prof gc} {@code gc.alloc.rate.norm} is bytes allocated per simulation. It includes
 * planning and storing the batch, claiming, leases, the engine's prompt building and answer
 * parsing, the simulated model writing its answer, and storing each result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RunnerOverheadBenchmark {
  /** Simulations per batch, that is per benchmark invocation. */
  public static final int SIMULATIONS = 10_000;

  /** Simulations in flight at once ({@link Cohort.Builder#maxInFlight}). */
  @Param({"32"})
  public int maxInFlight = Cohort.DEFAULT_MAX_IN_FLIGHT;

  private @Nullable Cohort cohort;
  private @Nullable BatchRequest request;
  private @Nullable String lastBatchId;

  /** Builds one Cohort for the whole trial, as an application would. */
  @Setup(Level.Trial)
  public void startCohort() {
    List<Entity> pool = BenchmarkBatches.poolFor(SIMULATIONS);
    Cohort started = Cohort.builder()
        .llm(SimulatedLlm.create())
        .repository(InMemoryRepository.create())
        .maxInFlight(maxInFlight)
        .build();
    started.saveEntities(pool);
    cohort = started;
    request = BenchmarkBatches.request(pool, SIMULATIONS, 1);
  }

  /** One batch of {@value #SIMULATIONS} simulations, created, run and awaited. */
  @Benchmark
  @OperationsPerInvocation(SIMULATIONS)
  public Batch batch() {
    Batch batch = running().run(requested());
    lastBatchId = batch.id();
    return batch;
  }

  /**
   * Checks that the batch really completed (a benchmark of failing simulations would measure the
   * wrong thing) and deletes it, so the store does not grow from one invocation to the next.
   */
  @TearDown(Level.Invocation)
  public void checkAndDeleteBatch() {
    String id = lastBatchId;
    if (id == null) {
      return;
    }
    Batch batch = running().getBatch(id);
    if (batch.status() != BatchStatus.COMPLETED || batch.counts().completed() != SIMULATIONS) {
      throw new IllegalStateException("benchmark batch ended " + batch.status() + " with " + batch.counts());
    }
    running().deleteBatch(id);
    lastBatchId = null;
  }

  /** Closes the Cohort. */
  @TearDown(Level.Trial)
  public void closeCohort() {
    running().close();
  }

  private Cohort running() {
    if (cohort == null) {
      throw new IllegalStateException("the trial has not started");
    }
    return cohort;
  }

  private BatchRequest requested() {
    if (request == null) {
      throw new IllegalStateException("the trial has not started");
    }
    return request;
  }
}
