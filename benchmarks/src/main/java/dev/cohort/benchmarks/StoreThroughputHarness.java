package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one batch as a new user would on the command line ({@code cohort run --num-simulations
 * 20000 --concurrency 500} with the offline model, which answers at once, on a fresh SQLite
 * file) and prints how many simulations the runner kept in flight and how many rounds per second
 * it stored: with no model latency, the store is what limits both.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.StoreThroughputHarness [simulations [concurrency [rounds [sqlite|memory]]]]
 * </pre>
 *
 * <p>{@code memory} runs the same batch on an {@code InMemoryRepository}: the ceiling that the
 * engine and the simulated model leave when the store costs nothing.
 *
 * <p>In flight is sampled every 10 ms between the first simulation's start and the last one's end
 * (started minus finished, from the progress events); rounds per second is simulations × rounds
 * over that same interval. The batch's stored counts are checked before anything is printed.
 * Process CPU per round is printed twice: over the whole batch (creating it, running it, the
 * end-of-batch checks) and over the running part only (sampled with in flight), with the system
 * load average when the batch started.
 */
public final class StoreThroughputHarness {
  private static final int POOL = 1_000;
  private static final int GROUP_SIZE = 3;
  private static final long SAMPLE_MILLIS = 10;

  private StoreThroughputHarness() {}

  /**
   * Runs the harness.
   *
   * @param args optionally simulations (default 20,000), concurrency (500) and rounds per
   *     simulation (1), and the store: {@code sqlite} (default) or {@code memory}
   * @throws IOException when the temporary database cannot be created
   */
  public static void main(String[] args) throws IOException {
    int simulations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    boolean memory = args.length > 3 && args[3].equals("memory");
    run(simulations, concurrency, rounds, memory, System.out);
    System.exit(0);
  }

  static void run(int simulations, int concurrency, int rounds, boolean memory, PrintStream out) throws IOException {
    Path dir = Files.createTempDirectory("cohort-store");
    Path file = dir.resolve("cohort.db");
    Events events = new Events(simulations);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    JdbcRepository jdbc = memory ? null : JdbcRepository.sqlite(file);
    RepositoryPort repository = jdbc == null ? InMemoryRepository.create() : jdbc;
    try (Cohort cohort = Cohort.builder().repository(repository).maxInFlight(concurrency)
            .llm(SimulatedLlm.builder().build()).progressListener(events).build()) {
      List<Entity> pool = new ArrayList<>(POOL);
      for (int i = 0; i < POOL; i++) {
        pool.add(new Entity(String.format(Locale.ROOT, "e%04d", i), "Person " + i, "A participant", Map.of("i", i)));
      }
      cohort.saveEntities(pool);
      sampler.scheduleAtFixedRate(events::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
      double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long cpuBefore = processCpuNanos();
      Batch created = cohort.createBatch(BatchRequest.builder().name("Store throughput").context("A benchmark.")
          .entityIds(pool.stream().map(Entity::id).toList()).interactionSize(GROUP_SIZE)
          .numSimulations(simulations).nTurns(1).simulationRounds(rounds).seed(21L).build());
      Batch done = cohort.await(created.id());
      long cpu = processCpuNanos() - cpuBefore;
      sampler.shutdownNow();
      if (done.counts().completed() != simulations) {
        throw new IllegalStateException("completed " + done.counts().completed() + " of " + simulations + ": " + done);
      }
      double seconds = (events.lastEnd.get() - events.firstStart.get()) / 1e9;
      out.printf(Locale.ROOT, "store\tsimulations\tconcurrency\trounds\tseconds\tmean_in_flight\tmedian_in_flight"
          + "\trounds_per_s\tprocess_cpu_ms_per_round\trunning_cpu_ms_per_round\tload_average%n");
      out.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%.2f\t%.0f\t%d\t%.0f\t%.3f\t%.3f\t%.2f%n", memory ? "memory" : "sqlite",
          simulations, concurrency, rounds, seconds, events.meanInFlight(), events.medianInFlight(),
          (double) simulations * rounds / seconds, cpu / 1e6 / ((double) simulations * rounds),
          events.runningCpuMillisPerSimulation() / rounds, loadBefore);
    } finally {
      sampler.shutdownNow();
      if (jdbc != null) {
        jdbc.close();
      }
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Counts starts and ends, and samples their difference while the batch runs. */
  private static final class Events implements ProgressListener {
    final LongAdder started = new LongAdder();
    final LongAdder finished = new LongAdder();
    final AtomicLong firstStart = new AtomicLong();
    final AtomicLong lastEnd = new AtomicLong();
    private final List<Long> samples = new ArrayList<>();
    private long firstCpu = -1;
    private long firstFinished;
    private long lastCpu;
    private long lastFinished;
    private final long total;

    Events(long total) {
      this.total = total;
    }

    @Override
    public void simulationStarted(Simulation simulation) {
      firstStart.compareAndSet(0, System.nanoTime());
      started.increment();
    }

    @Override
    public void simulationCompleted(Simulation simulation) {
      ended();
    }

    @Override
    public void simulationFailed(Simulation simulation) {
      ended();
    }

    private void ended() {
      finished.increment();
      lastEnd.set(System.nanoTime());
    }

    synchronized void sample() {
      // Read finished first: a simulation that ends between the reads then never counts negative.
      long f = finished.sum();
      long s = started.sum();
      if (s > 0 && f < total) {
        samples.add(s - f);
        long cpu = processCpuNanos();
        if (firstCpu < 0) {
          firstCpu = cpu;
          firstFinished = f;
        }
        lastCpu = cpu;
        lastFinished = f;
      }
    }

    /**
     * Process CPU per simulation finished while simulations ran (between the first and the last
     * sample): without creating the batch before and the end-of-batch checks after.
     */
    synchronized double runningCpuMillisPerSimulation() {
      long done = lastFinished - firstFinished;
      return done <= 0 ? Double.NaN : (lastCpu - firstCpu) / 1e6 / done;
    }

    synchronized double meanInFlight() {
      return samples.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    synchronized long medianInFlight() {
      List<Long> sorted = samples.stream().sorted().toList();
      return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }
  }

}
