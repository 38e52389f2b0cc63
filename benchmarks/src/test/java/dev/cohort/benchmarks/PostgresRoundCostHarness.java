package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Entity;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.jdbc.PostgresServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What one round costs on PostgreSQL: 1, 2 and 4 workers on one (embedded) PostgreSQL database
 * run one batch against a {@link CannedLlm} of fixed latency, and the harness prints rounds per
 * second, the workers' CPU per round and PostgreSQL's CPU per round.
 *
 * <p>The workers are {@code Cohort} instances in this JVM, each with its own {@link JdbcRepository}
 * (its own connections, claims, leases and heartbeat, as a separate process has). One JVM because
 * the figure wanted is the workers' CPU per round in sum: this JVM's process CPU time covers all of
 * them without counting a JVM start, JIT and GC once per worker, which a real deployment pays once
 * per machine, not per round. PostgreSQL's CPU is the user and system time of the server's {@code
 * postgres} processes (found by the port it listens on: the postmaster, its backends, and what it
 * collected from backends that ended), read from {@code /proc} before and after.
 *
 * <p>With {@code --count yes} the repositories get their connections through a {@link
 * CountingDataSource} and the harness also prints the statements (round trips) and transactions
 * per round.
 */
final class PostgresRoundCostHarness {
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  /** One measured run. */
  record Result(int workers, long latencyMillis, long rounds, double seconds, long workerCpuNanos,
      long postgresCpuNanos, long backendCpuNanos, double loadBefore, double loadAfter, long statements,
      long transactions, long claims, ThreadCpu threads) {}

  /**
   * What a worker with nothing to claim costs, per second: the process's CPU, PostgreSQL's CPU and
   * the idle worker's statements (and claims among them), with only the busy worker and with it
   * and the idle one.
   */
  record IdleResult(double seconds, double busyOnlyCpuMsPerSecond, double withIdleCpuMsPerSecond,
      double busyOnlyPostgresMsPerSecond, double withIdlePostgresMsPerSecond, double busyOnlyBackendsMsPerSecond,
      double withIdleBackendsMsPerSecond, double idleStatementsPerSecond, double idleClaimsPerSecond, double load) {}

  /** The counters at one moment of a run. */
  private record Snapshot(long calls, long nanos, long cpu, long postgres, long backends, double load,
      long statements, long transactions, long claims, ThreadCpu threads) {
    /** Waits (polling every 5 ms) until the model has answered {@code calls} calls, then reads the counters. */
    static Snapshot when(CannedLlm llm, long calls, String url, List<CountingDataSource> sources) {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (llm.calls() < calls) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the model answered " + llm.calls() + " calls in 10 minutes, not " + calls);
        }
        LockSupport.parkNanos(5_000_000);
      }
      return new Snapshot(llm.calls(), System.nanoTime(), processCpuNanos(), postgresCpuNanos(url),
          postgresCpuNanos(url, true), loadAverage(),
          sources.stream().mapToLong(s -> s.statements.sum()).sum(),
          sources.stream().mapToLong(s -> s.transactionEnds.sum()).sum(),
          sources.stream().mapToLong(s -> s.claims.sum()).sum(), ThreadCpu.now());
    }
  }

  private PostgresRoundCostHarness() {}

  static Result run(int workers, Duration latency, int concurrency, int simulations, int rounds, boolean count)
      throws IOException, SQLException {
    String url = PostgresServer.freshSchemaUrl();
    List<JdbcRepository> repositories = new ArrayList<>();
    List<CountingDataSource> sources = new ArrayList<>();
    List<Cohort> cohorts = new ArrayList<>();
    CannedLlm llm = new CannedLlm(latency, 0);
    try {
      for (int i = 0; i < workers; i++) {
        JdbcRepository.Builder builder = JdbcRepository.builder();
        if (count) {
          CountingDataSource source = new CountingDataSource(url, JdbcRepository.DEFAULT_MAX_CONNECTIONS);
          sources.add(source);
          builder.dataSource(source);
        } else {
          builder.url(url);
        }
        JdbcRepository repository = builder.build();
        repositories.add(repository);
        cohorts.add(Cohort.builder().repository(repository).llm(llm).maxInFlight(concurrency)
            .workerId("worker-" + i).build());
      }
      Cohort first = cohorts.get(0);
      List<Entity> pool = BenchmarkBatches.poolNamed(simulations, CannedLlm.SPEAKER);
      first.saveEntities(pool);
      Batch created = first.createBatch(BenchmarkBatches.request(pool, simulations, rounds));
      long total = (long) simulations * rounds;
      for (Cohort worker : cohorts) {
        worker.resume(created.id());
      }
      // The steady state only: from a fifth of the model calls to four fifths. Before it the
      // workers fill their slots; after it the last simulations drain and the batch's end-of-run
      // checks (duplicates, quality flags) run once, a cost per batch, not per round.
      Snapshot from = Snapshot.when(llm, total / 5, url, sources);
      Snapshot to = Snapshot.when(llm, total * 4 / 5, url, sources);
      Batch done = first.await(created.id());
      if (done.counts().completed() != simulations) {
        throw new IllegalStateException("the batch ended " + done.status().wireName() + " with " + done.counts());
      }
      return new Result(workers, latency.toMillis(), to.calls() - from.calls(), (to.nanos() - from.nanos()) / 1e9,
          to.cpu() - from.cpu(), to.postgres() - from.postgres(), to.backends() - from.backends(), from.load(),
          to.load(),
          to.statements() - from.statements(), to.transactions() - from.transactions(), to.claims() - from.claims(),
          to.threads().minus(from.threads()));
    } finally {
      cohorts.forEach(Cohort::close);
      repositories.forEach(JdbcRepository::close);
      for (CountingDataSource s : sources) {
        s.close();
      }
    }
  }

  /**
   * An idle worker: a busy worker claims every simulation of a batch of {@code concurrency}, each
   * waiting on a model that does not answer within the measurement, so the busy worker touches the
   * store only for its heartbeat; then a second worker, counted, runs the same batch and finds
   * nothing to claim. Measures {@code seconds} with the busy worker alone (after {@code seconds} to
   * settle), then {@code seconds} with both, after the idle one has waited {@code seconds} (long
   * enough for a back-off to settle).
   */
  static IdleResult idle(int concurrency, Duration seconds) throws IOException, SQLException {
    String url = PostgresServer.freshSchemaUrl();
    CannedLlm never = new CannedLlm(Duration.ofMinutes(30), 0);
    CountingDataSource idleSource = new CountingDataSource(url, JdbcRepository.DEFAULT_MAX_CONNECTIONS);
    JdbcRepository busyRepository = JdbcRepository.builder().url(url).build();
    JdbcRepository idleRepository = JdbcRepository.builder().dataSource(idleSource).build();
    Cohort busy = Cohort.builder().repository(busyRepository).llm(never).maxInFlight(concurrency)
        .workerId("busy").build();
    Cohort idle = Cohort.builder().repository(idleRepository).llm(never).maxInFlight(concurrency)
        .workerId("idle").build();
    try {
      List<Entity> pool = BenchmarkBatches.poolNamed(concurrency, CannedLlm.SPEAKER);
      busy.saveEntities(pool);
      Batch created = busy.createBatch(BenchmarkBatches.request(pool, concurrency, 1));
      busy.resume(created.id());
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (busy.findBatch(created.id()).map(b -> b.counts().running()).orElse(0L) < concurrency) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the busy worker did not claim all " + concurrency + " simulations");
        }
        LockSupport.parkNanos(10_000_000);
      }
      // Settling first: the batch's creation and claims are not what an idle period costs.
      LockSupport.parkNanos(seconds.toNanos());
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      long pg0 = postgresCpuNanos(url);
      long backends0 = postgresCpuNanos(url, true);
      LockSupport.parkNanos(seconds.toNanos());
      double busySeconds = (System.nanoTime() - t0) / 1e9;
      double busyCpu = (processCpuNanos() - cpu0) / 1e6 / busySeconds;
      double busyPg = (postgresCpuNanos(url) - pg0) / 1e6 / busySeconds;
      double busyBackends = (postgresCpuNanos(url, true) - backends0) / 1e6 / busySeconds;
      idle.resume(created.id());
      LockSupport.parkNanos(seconds.toNanos());
      long t1 = System.nanoTime();
      long cpu1 = processCpuNanos();
      long pg1 = postgresCpuNanos(url);
      long backends1 = postgresCpuNanos(url, true);
      long statements1 = idleSource.statements.sum();
      long claims1 = idleSource.claims.sum();
      LockSupport.parkNanos(seconds.toNanos());
      double bothSeconds = (System.nanoTime() - t1) / 1e9;
      return new IdleResult(bothSeconds, busyCpu, (processCpuNanos() - cpu1) / 1e6 / bothSeconds, busyPg,
          (postgresCpuNanos(url) - pg1) / 1e6 / bothSeconds, busyBackends,
          (postgresCpuNanos(url, true) - backends1) / 1e6 / bothSeconds, (idleSource.statements.sum() - statements1) / bothSeconds,
          (idleSource.claims.sum() - claims1) / bothSeconds, loadAverage());
    } finally {
      idle.close();
      busy.close();
      idleRepository.close();
      busyRepository.close();
      idleSource.close();
    }
  }

  /**
   * User and system CPU of the PostgreSQL server listening on {@code url}'s port: its postmaster
   * (with what it collected from backends that ended) and the postmaster's children, its backends
   * and background processes. The embedded server's postmaster is a daemon, not this JVM's child,
   * so it is found by the port on its command line.
   */
  static long postgresCpuNanos(String url) {
    return postgresCpuNanos(url, false);
  }

  /**
   * As {@link #postgresCpuNanos(String)}, or with {@code backendsOnly} only the live backends
   * serving a client (not the background processes, nor what ended processes left).
   */
  static long postgresCpuNanos(String url, boolean backendsOnly) {
    String port = url.replaceFirst("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1");
    long postmaster = ProcessHandle.allProcesses().filter(p -> isPostmasterOn(p.pid(), port)).mapToLong(
        ProcessHandle::pid).findFirst().orElseThrow(() -> new IllegalStateException("no postgres process listens"
        + " on port " + port + " (from " + url + ")"));
    long[] own = stat(postmaster);
    long ticks = (backendsOnly ? 0 : own[0] + own[1] + own[2] + own[3]) + ProcessHandle.of(postmaster).stream()
        .flatMap(ProcessHandle::children).filter(child -> !backendsOnly || isClientBackend(child.pid()))
        .mapToLong(child -> {
          long[] times = stat(child.pid());
          return times[0] + times[1];
        }).sum();
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
  }

  /** Whether the process is a backend serving a client connection (its title names the client's address). */
  private static boolean isClientBackend(long pid) {
    try {
      String title = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return title.contains("127.0.0.1(") || title.contains("[local]");
    } catch (IOException e) {
      return false;
    }
  }

  /** utime, stime, cutime and cstime of a process; zeros for one that has ended. */
  private static long[] stat(long pid) {
    String line;
    try {
      line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return new long[4];
    }
    // After "pid (comm) ": field 3 (state) is at index 0, so field n is at index n - 3.
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3]), Long.parseLong(f[16 - 3]),
        Long.parseLong(f[17 - 3])};
  }

  private static boolean isPostmasterOn(long pid, String port) {
    try {
      String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
          .split("\0");
      if (args.length == 0 || !args[0].endsWith("/postgres")) {
        return false;
      }
      for (int i = 0; i + 1 < args.length; i++) {
        if (args[i].equals("-p") && args[i + 1].equals(port)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Prints a Markdown table: one row per latency and number of workers. */
  public static void main(String[] args) throws Exception {
    List<Integer> workers = List.of(1, 2, 4);
    List<Long> latencies = List.of(100L, 0L);
    int concurrency = 50;
    int simulations = 2_000;
    int rounds = 3;
    boolean count = false;
    int idleSeconds = 20;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--workers" -> workers = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        case "--latency-ms" -> latencies = Arrays.stream(value.split(",")).map(Long::valueOf).toList();
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--simulations" -> simulations = Integer.parseInt(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--count" -> count = value.equals("yes");
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(Locale.ROOT, "%d simulations of %d rounds (one model call each), %d in flight per worker,"
        + " one embedded PostgreSQL; measured from a fifth to four fifths of the calls%n", simulations, rounds,
        concurrency);
    // Warm-up: class loading and JIT, not measured. Both latencies: a model that sleeps takes
    // other paths (parking, waking) than one that answers at once.
    run(1, Duration.ZERO, concurrency, 3_000, rounds, count);
    run(2, Duration.ofMillis(20), concurrency, 1_500, rounds, count);
    // And one worker at the first latency measured: without it the first row still paid for the
    // JIT compiling (about 0.3-0.4 ms per round at 1 worker, 100 ms: see the table by thread).
    run(1, Duration.ofMillis(latencies.get(0)), concurrency, 3_000, rounds, count);
    // What the server costs with no client at all (its background processes), per second: at a
    // few hundred rounds per second this is a visible part of its CPU per round.
    String idleUrl = PostgresServer.freshSchemaUrl();
    long idleBefore = postgresCpuNanos(idleUrl);
    long idleStart = System.nanoTime();
    LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
    System.out.printf(Locale.ROOT, "PostgreSQL with no client: %.1f ms of CPU per second (load avg %.1f)%n",
        (postgresCpuNanos(idleUrl) - idleBefore) / 1e6 / ((System.nanoTime() - idleStart) / 1e9), loadAverage());
    System.out.println("| latency | workers | load avg (before → after) | rounds/s | worker CPU/round"
        + " | PostgreSQL CPU/round | of which client backends | statements/round | transactions/round"
        + " | claims/simulation |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    List<Result> results = new ArrayList<>();
    for (long latency : latencies) {
      for (int w : workers) {
        Result r = run(w, Duration.ofMillis(latency), concurrency, simulations, rounds, count);
        results.add(r);
        System.out.printf(Locale.ROOT, "| %d ms | %d | %.1f → %.1f | %,.0f | %,.0f µs | %,.0f µs | %,.0f µs | %s | %s"
            + " | %s |%n",
            r.latencyMillis(), r.workers(), r.loadBefore(), r.loadAfter(), r.rounds() / r.seconds(),
            r.workerCpuNanos() / 1e3 / r.rounds(), r.postgresCpuNanos() / 1e3 / r.rounds(),
            r.backendCpuNanos() / 1e3 / r.rounds(),
            count ? String.format(Locale.ROOT, "%.2f", (double) r.statements() / r.rounds()) : "–",
            count ? String.format(Locale.ROOT, "%.2f", (double) r.transactions() / r.rounds()) : "–",
            // A simulation is `rounds` calls, so rounds / rounds-per-simulation simulations ran.
            count ? String.format(Locale.ROOT, "%.3f", (double) r.claims() * rounds / r.rounds()) : "–");
      }
    }
    // Where the workers' CPU went, by kind of thread (from /proc/self/task): what JFR's execution
    // samples do not show, the JIT and GC threads and the kernel's time (system) parking and waking.
    System.out.println();
    System.out.println("Worker CPU per round by thread (µs; \"ended\": threads that ended in the window),"
        + " user/system split and context switches per round:");
    System.out.println("| latency | workers | " + String.join(" | ", ThreadCpu.KINDS) + " | ended | user | system"
        + " | context switches/round |");
    System.out.println("|---:|---:|" + "---:|".repeat(ThreadCpu.KINDS.size() + 4));
    for (Result r : results) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d ms | %d |", r.latencyMillis(), r.workers()));
      r.threads().microsPerRound(r.rounds(), CLOCK_TICKS_PER_SECOND).values()
          .forEach(v -> row.append(String.format(Locale.ROOT, " %,.0f |", v)));
      double micros = 1e6 / CLOCK_TICKS_PER_SECOND / r.rounds();
      row.append(String.format(Locale.ROOT, " %,.0f | %,.0f | %.1f |", r.threads().userTicks() * micros,
          r.threads().systemTicks() * micros, (double) r.threads().contextSwitches() / r.rounds()));
      System.out.println(row);
    }
    if (idleSeconds > 0) {
      IdleResult idle = idle(concurrency, Duration.ofSeconds(idleSeconds));
      System.out.printf(Locale.ROOT, "%nAn idle worker (a busy worker holds all %d simulations of the batch;"
          + " %.0f s each, load avg %.1f):%n", concurrency, idle.seconds(), idle.load());
      System.out.println("| | process CPU | PostgreSQL CPU | of which client backends | idle worker's statements"
          + " | of which claims |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      System.out.printf(Locale.ROOT, "| busy worker alone | %.2f ms/s | %.2f ms/s | %.2f ms/s | – | – |%n",
          idle.busyOnlyCpuMsPerSecond(), idle.busyOnlyPostgresMsPerSecond(), idle.busyOnlyBackendsMsPerSecond());
      System.out.printf(Locale.ROOT, "| busy + idle worker | %.2f ms/s | %.2f ms/s | %.2f ms/s | %.2f /s | %.2f /s |%n",
          idle.withIdleCpuMsPerSecond(), idle.withIdlePostgresMsPerSecond(), idle.withIdleBackendsMsPerSecond(),
          idle.idleStatementsPerSecond(), idle.idleClaimsPerSecond());
    }
    System.exit(0);
  }
}
