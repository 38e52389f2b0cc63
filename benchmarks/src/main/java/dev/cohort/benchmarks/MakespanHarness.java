package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How close a latency-bound batch comes to its ideal makespan: N simulations of {@code rounds}
 * one-turn rounds each, every round one call to a {@link SimulatedLlm} that takes exactly L, with
 * at most c simulations in flight ({@link Cohort.Builder#maxInFlight}), on the default executor
 * (virtual threads on Java 21+, c platform threads on 17) and an {@link InMemoryRepository}.
 *
 * <p>Two yardsticks. The <em>ideal</em> is the makespan of a runner that costs nothing ({@link
 * ZeroOverheadSchedule}: c slots, each free slot takes the next simulation in sequence order, whose
 * calls run back to back) with the very latencies of this run; for a fixed L that is {@code
 * ceil(N/c)·rounds·L}. The <em>bound</em> is what no schedule at all can beat: for a fixed L
 * {@link #ideal}, for drawn latencies {@link #idealOfDraws}. The measured makespan runs from {@link
 * Cohort#run} being called (so it includes planning and storing the batch) to its return.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.MakespanHarness \
 *     [--simulations 10000] [--rounds 3] [--latency-ms 50] [--concurrency 10,100,1000] \
 *     [--model simulated|canned] [--latency-sigma 0.5]
 * </pre>
 *
 * <p>{@code --model canned} replaces the {@link SimulatedLlm} by a {@link CannedLlm}: answers
 * prepared once (no text generation, so the run measures Cohort, not the simulator), latency drawn
 * from a lognormal distribution whose median is {@code --latency-ms} and whose logarithm's standard
 * deviation is {@code --latency-sigma} (default {@value #DEFAULT_SIGMA}). Its entities all share
 * one name, the canned answers' speaker. Its latencies are a function of the simulation and round
 * (see {@link CannedLlm}), so after the run the harness recomputes each simulation's latencies from
 * the stored simulations, in sequence order, and checks that they add up to what the model drew.
 *
 * Before the grid, batches of the grid's shape with a 1 ms latency run for 10 s, so the JIT has
 * compiled the hot paths: on a 1.5 s makespan, interpreted code would otherwise be most of what is measured.
 * Peak heap is the sum of the
 * peaks of the heap's memory pools during the run (an upper bound: the pools need not peak at
 * the same moment).
 */
public final class MakespanHarness {
  private static final int WARM_UP_SIMULATIONS = 2_000;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  /**
   * The warm-up's latency: short, but not zero, so that the calls sleep and their threads park and
   * wake as in the measured run. With zero latency the JIT compiled paths on which no call ever
   * slept, then deoptimised and recompiled the engine's largest methods during the measured run
   * (seven C2 compilations, 1.4 s of compiler time, in a 3 s canned run's JFR recording).
   */
  private static final Duration WARM_UP_LATENCY = Duration.ofMillis(1);
  /** The spread of the canned model's lognormal latency unless {@code --latency-sigma} says otherwise. */
  static final double DEFAULT_SIGMA = 0.5;

  private MakespanHarness() {}

  /**
   * One grid point.
   *
   * @param simulations N
   * @param rounds rounds per simulation, each one model call
   * @param latency L, the time every call takes
   * @param concurrency c, the most simulations in flight
   */
  record Point(int simulations, int rounds, Duration latency, int concurrency) {
    Point {
      if (simulations < 1 || rounds < 1 || concurrency < 1 || latency.isNegative()) {
        throw new IllegalArgumentException("need N, rounds, c >= 1 and L >= 0, got N=" + simulations
            + ", rounds=" + rounds + ", L=" + latency + ", c=" + concurrency);
      }
    }
  }

  /**
   * What one grid point measured.
   *
   * @param completed simulations that completed
   * @param calls model calls made
   * @param peakHeapBytes see the class comment
   * @param gcTime time the garbage collectors report having spent during the run (for the
   *     stop-the-world collectors this JDK uses by default, time every thread stood still)
   * @param cpuTime CPU time this process used during the run; near twice the makespan on two
   *     cores means the run was bound by CPU, not by the model's latency
   * @param bound the lower bound no schedule beats (see the class comment); {@code ideal} is the
   *     zero-overhead runner's makespan with this run's latencies
   * @param tail from the last simulation's completion event to the batch's finished event: the
   *     end-of-batch work (the duplicate-transcript pass, the final status), serial, after the last call
   */
  record Result(Point point, Duration makespan, Duration ideal, long completed, long calls, long peakHeapBytes,
      Duration gcTime, Duration cpuTime, Duration bound, Duration tail) {
    /** Makespan over the zero-overhead runner's makespan. */
    double ratio() {
      return ideal.isZero() ? Double.NaN : (double) makespan.toNanos() / ideal.toNanos();
    }

    /** Makespan over the lower bound. */
    double boundRatio() {
      return bound.isZero() ? Double.NaN : (double) makespan.toNanos() / bound.toNanos();
    }

    /** Process CPU time per model call, in microseconds. */
    double cpuMicrosPerCall() {
      return calls == 0 ? Double.NaN : cpuTime.toNanos() / 1e3 / calls;
    }
  }

  /** The two yardsticks of one run: the zero-overhead runner's makespan and the lower bound. */
  private record Yardsticks(Duration ideal, Duration bound) {}

  /**
   * The shortest possible makespan: {@code max(rounds·L, ceil(N·rounds/c)·L)}. A simulation's
   * rounds run one after another, and N·rounds calls of L each, at most c at a time, need at least
   * ceil(N·rounds/c) latency periods.
   */
  static Duration ideal(int simulations, int rounds, Duration latency, int concurrency) {
    long calls = (long) simulations * rounds;
    long waves = (calls + concurrency - 1) / concurrency;
    return latency.multipliedBy(Math.max(rounds, waves));
  }

  /**
   * A lower bound of the makespan when every call's latency was drawn: the drawn latencies spread
   * over c slots ({@code sum/c}), and never less than the longest single call.
   */
  static Duration idealOfDraws(Duration drawn, Duration longest, int concurrency) {
    Duration spread = drawn.dividedBy(concurrency);
    return spread.compareTo(longest) >= 0 ? spread : longest;
  }

  /** Runs one batch for {@code point} in a fresh Cohort and store against a {@link SimulatedLlm}, and measures it. */
  static Result measure(Point point) {
    SimulatedLlm llm = SimulatedLlm.builder().latency(point.latency()).build();
    long perSimulation = point.latency().toNanos() * point.rounds();
    return measure(point, BenchmarkBatches.poolFor(point.simulations()), llm, llm::calls, (cohort, batch) -> {
      long[] latencies = new long[point.simulations()];
      Arrays.fill(latencies, perSimulation);
      return new Yardsticks(ZeroOverheadSchedule.makespan(latencies, point.concurrency()),
          ideal(point.simulations(), point.rounds(), point.latency(), point.concurrency()));
    });
  }

  /**
   * Runs one batch for {@code point} against a {@link CannedLlm} whose latency has median {@code
   * point.latency()} and spread {@code sigma}; the ideal is the {@link ZeroOverheadSchedule} of the
   * latencies it drew, the bound {@link #idealOfDraws}.
   */
  static Result measureCanned(Point point, double sigma) {
    CannedLlm llm = new CannedLlm(point.latency(), sigma);
    List<Entity> pool = BenchmarkBatches.poolNamed(point.simulations(), CannedLlm.SPEAKER);
    return measure(point, pool, llm, llm::calls, (cohort, batch) -> new Yardsticks(
        ZeroOverheadSchedule.makespan(drawnPerSimulation(cohort, batch, pool, llm), point.concurrency()),
        idealOfDraws(llm.drawn(), llm.longest(), point.concurrency())));
  }

  /**
   * Each simulation's latencies added up, in sequence order, recomputed from its participants as
   * {@link CannedLlm} drew them; fails when they do not add up to what the model drew (a re-asked
   * round, or a prompt the model read differently).
   */
  private static long[] drawnPerSimulation(Cohort cohort, Batch batch, List<Entity> pool, CannedLlm llm) {
    Map<String, String> descriptions = new HashMap<>();
    for (Entity e : pool) {
      String description = e.description();
      // As the prompt shows it (PromptBuilder's one line).
      descriptions.put(e.id(), description == null ? "" : description.replace('\n', ' ').strip());
    }
    List<long[]> bySequence = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), simulation -> {
      List<String> participants = simulation.entityIds().stream().map(descriptions::get).toList();
      long sum = 0;
      for (int round = 1; round <= batch.request().simulationRounds(); round++) {
        sum += CannedLlm.latencyNanos(llm.medianNanos(), llm.sigma(), llm.seed(), participants, round);
      }
      bySequence.add(new long[] {simulation.sequenceNumber(), sum});
    });
    bySequence.sort((a, b) -> Long.compare(a[0], b[0]));
    long[] sums = new long[bySequence.size()];
    long total = 0;
    for (int i = 0; i < sums.length; i++) {
      sums[i] = bySequence.get(i)[1];
      total += sums[i];
    }
    if (total != llm.drawn().toNanos()) {
      throw new IllegalStateException("the simulations' latencies add up to " + total + " ns but the model drew "
          + llm.drawn().toNanos() + " ns");
    }
    return sums;
  }

  private static Result measure(Point point, List<Entity> pool, LlmPort llm, LongSupplier calls,
      BiFunction<Cohort, Batch, Yardsticks> yardsticks) {
    BatchTail tail = new BatchTail();
    try (Cohort cohort = Cohort.builder()
        .llm(llm)
        .repository(InMemoryRepository.create())
        .maxInFlight(point.concurrency())
        .progressListener(tail)
        .build()) {
      cohort.saveEntities(pool);
      var request = BenchmarkBatches.request(pool, point.simulations(), point.rounds());
      List<MemoryPoolMXBean> heap = heapPools();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long gcBefore = gcMillis();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      Batch batch = cohort.run(request);
      Duration makespan = Duration.ofNanos(System.nanoTime() - start);
      Duration cpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
      Duration gc = Duration.ofMillis(gcMillis() - gcBefore);
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      Yardsticks y = yardsticks.apply(cohort, batch);
      return new Result(point, makespan,
          y.ideal(), batch.counts().completed(), calls.getAsLong(), peak, gc, cpu, y.bound(), tail.tail());
    }
  }

  /** Times the end of a batch: from its last completion event to its finished event. */
  private static final class BatchTail implements ProgressListener {
    private final AtomicLong lastCompleted = new AtomicLong();
    private volatile long finished;

    @Override
    public void simulationCompleted(Simulation simulation) {
      lastCompleted.accumulateAndGet(System.nanoTime(), Math::max);
    }

    @Override
    public void batchFinished(Batch batch) {
      finished = System.nanoTime();
    }

    Duration tail() {
      long last = lastCompleted.get();
      return last == 0 || finished == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, finished - last));
    }
  }

  /**
   * Runs the grid and prints one row per concurrency.
   *
   * @param args {@code --simulations N}, {@code --rounds R}, {@code --latency-ms L}, {@code
   *     --concurrency c1,c2,…}
   */
  public static void main(String[] args) {
    List<Point> grid;
    try {
      grid = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: MakespanHarness [--simulations N] [--rounds R] [--latency-ms L] [--concurrency c1,c2,...]"
          + " [--model simulated|canned] [--latency-sigma S]");
      System.exit(2);
      return;
    }
    @Nullable Double sigma = cannedSigma(args);
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "Java %s (%s), %s threads, %d cores, max heap %d MiB%n",
        Runtime.version(), System.getProperty("java.vm.name"), virtualThreads() ? "virtual" : "platform",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    out.println(sigma == null ? "model: SimulatedLlm (writes and parses its answers), fixed latency"
        : String.format(Locale.ROOT, "model: canned answers, lognormal latency (median L, sigma %.2f)", sigma));
    warmUp(grid.get(0), sigma);
    out.println("ideal: a zero-overhead runner's makespan with this run's latencies; bound: what no schedule beats");
    out.println("N\trounds\tL_ms\tc\tmakespan_s\tideal_s\tratio\tbound_s\tbound_ratio\tpeak_heap_MiB\tgc_s\tcpu_s"
        + "\tcpu_us_per_call\tcompleted\tcalls\tload_before\tload_after\ttail_s");
    for (Point point : grid) {
      double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      Result r = sigma == null ? measure(point) : measureCanned(point, sigma);
      double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      out.printf(Locale.ROOT, "%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%.3f\t%.3f\t%.1f\t%d\t%d\t%.2f\t%.2f\t%.3f%n",
          point.simulations(), point.rounds(), point.latency().toMillis(), point.concurrency(),
          r.makespan().toNanos() / 1e9, r.ideal().toNanos() / 1e9, r.ratio(), r.bound().toNanos() / 1e9,
          r.boundRatio(), r.peakHeapBytes() >> 20, r.gcTime().toNanos() / 1e9, r.cpuTime().toNanos() / 1e9,
          r.cpuMicrosPerCall(), r.completed(), r.calls(), loadBefore, loadAfter, r.tail().toNanos() / 1e9);
    }
  }

  /** Runs batches shaped like {@code point} with {@link #WARM_UP_LATENCY} until {@link #WARM_UP} has passed. */
  private static void warmUp(Point point, @Nullable Double sigma) {
    Point warmUp = new Point(Math.min(point.simulations(), WARM_UP_SIMULATIONS), point.rounds(), WARM_UP_LATENCY,
        Math.min(point.concurrency(), 256));
    long end = System.nanoTime() + WARM_UP.toNanos();
    while (System.nanoTime() < end) {
      if (sigma == null) {
        measure(warmUp);
      } else {
        measureCanned(warmUp, sigma);
      }
    }
  }

  static List<Point> parse(String[] args) {
    int simulations = 10_000;
    int rounds = 3;
    long latencyMillis = 50;
    List<Integer> concurrencies = List.of(10, 100, 1_000);
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--simulations" -> simulations = positive(option, value);
        case "--rounds" -> rounds = positive(option, value);
        case "--latency-ms" -> latencyMillis = positive(option, value);
        case "--concurrency" -> {
          List<Integer> values = new ArrayList<>();
          for (String part : value.split(",", -1)) {
            values.add(positive(option, part));
          }
          concurrencies = values;
        }
        case "--model", "--latency-sigma" -> cannedSigma(new String[] {option, value});
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    List<Point> grid = new ArrayList<>();
    for (int c : concurrencies) {
      grid.add(new Point(simulations, rounds, Duration.ofMillis(latencyMillis), c));
    }
    return grid;
  }

  /**
   * The canned model's spread when {@code --model canned} is given ({@code --latency-sigma}, else
   * {@value #DEFAULT_SIGMA}); null for the {@link SimulatedLlm} (the default).
   */
  static @Nullable Double cannedSigma(String[] args) {
    boolean canned = false;
    double sigma = DEFAULT_SIGMA;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1].trim();
      if (args[i].equals("--model")) {
        switch (value) {
          case "canned" -> canned = true;
          case "simulated" -> canned = false;
          default -> throw new IllegalArgumentException("--model must be simulated or canned, was '" + value + "'");
        }
      } else if (args[i].equals("--latency-sigma")) {
        try {
          sigma = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          sigma = Double.NaN;
        }
        if (!(sigma >= 0 && sigma <= 5)) {
          throw new IllegalArgumentException("--latency-sigma must be a number from 0 to 5, was '" + value + "'");
        }
      }
    }
    return canned ? sigma : null;
  }

  private static int positive(String option, String value) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below with the option's name.
    }
    throw new IllegalArgumentException(option + " must be a positive integer, was '" + value + "'");
  }

  /** Milliseconds all collectors have spent so far, or 0 where the JVM does not say. */
  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** CPU time of this process so far, or 0 where the JVM does not say. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static List<MemoryPoolMXBean> heapPools() {
    List<MemoryPoolMXBean> pools = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pools.add(pool);
      }
    }
    return pools;
  }

  /** Whether Cohort's default executor uses virtual threads here (Java 21+), as it decides it. */
  private static boolean virtualThreads() {
    try {
      Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
