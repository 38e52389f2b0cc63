package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RateLimit;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.jdbc.JdbcWorkerRegistry;
import dev.cohort.jdbc.PostgresServer;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Several workers ({@code Cohort} instances, each with its own repository, as separate processes
 * would have) on one PostgreSQL store, calling one provider account ({@link LimitedProvider} behind
 * {@link FakeOpenAiServer}) that enforces its requests per minute over a sliding minute. The
 * workers share the limit through the store ({@link JdbcWorkerRegistry}). The harness counts what
 * the provider admitted and refused over a window with every worker running, then stops one worker
 * and counts a second window with the others: both should be close to the limit with few 429s.
 */
final class SharedLimitHarness {
  /**
   * How to run.
   *
   * @param told whether the workers are told the limit ({@code --rpm}) or learn it from the headers
   * @param warmup before the first window; a minute fills the provider's sliding minute
   * @param settle after a worker stops, before the second window
   * @param killLast whether the worker that stops is a JVM of its own killed with SIGKILL, which
   *     leaves its heartbeats to run out, rather than an instance closed in this JVM, which leaves
   */
  record Settings(int workers, long rpm, boolean told, Duration warmup, Duration window, Duration settle,
      Duration afterStopWindow, Duration medianLatency, double sigma, int concurrency, Duration heartbeat,
      boolean killLast) {}

  /** What the provider decided in one window of its clock (nanoseconds). */
  record Window(long start, long end, long admitted, long refused) {
    double perMinute() {
      return admitted * 60e9 / (end - start);
    }

    long sent() {
      return admitted + refused;
    }

    double refusedShare() {
      return sent() == 0 ? 0 : (double) refused / sent();
    }
  }

  /**
   * The two windows.
   *
   * @param stillRunning whether the batch was still running at the end (else the windows ran out of work)
   */
  record Result(Window all, Window afterStop, boolean stillRunning) {}

  private SharedLimitHarness() {}

  static Result run(Settings settings) throws IOException, InterruptedException {
    LimitedProvider provider = new LimitedProvider(settings.rpm(), 1_000_000_000L, settings.medianLatency(),
        settings.sigma(), 21L, System::nanoTime);
    String url = PostgresServer.freshSchemaUrl();
    List<JdbcRepository> repositories = new ArrayList<>();
    List<Cohort> workers = new ArrayList<>();
    Process child = null;
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(provider);
      int inThisJvm = settings.killLast() ? settings.workers() - 1 : settings.workers();
      for (int i = 0; i < inThisJvm; i++) {
        JdbcRepository repository = JdbcRepository.builder().url(url).build();
        repositories.add(repository);
        workers.add(worker(repository, server.baseUrl(), "worker-" + i, settings));
      }
      Cohort first = workers.get(0);
      first.saveEntities(EstimateAccuracy.pool());
      Batch batch = first.createBatch(request());
      for (Cohort other : workers.subList(1, workers.size())) {
        other.resume(batch.id());
      }
      if (settings.killLast()) {
        child = SharedLimitWorkerMain.start(url, server.baseUrl(), "worker-" + inThisJvm, settings, batch.id());
      }
      long started = System.nanoTime();
      Duration patience = settings.warmup().plus(settings.window()).plus(Duration.ofMinutes(1));
      Window all = window(provider, started + settings.warmup().toNanos(), settings.window(), patience);
      if (child != null) {
        child.destroyForcibly();
        if (!child.waitFor(1, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the killed worker's JVM did not end");
        }
      } else {
        workers.remove(workers.size() - 1).close();
      }
      Window afterStop = window(provider, all.end() + settings.settle().toNanos(), settings.afterStopWindow(),
          patience);
      boolean running = !first.getBatch(batch.id()).status().isTerminal();
      first.cancel(batch.id());
      return new Result(all, afterStop, running);
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      workers.forEach(Cohort::close);
      repositories.forEach(JdbcRepository::close);
    }
  }

  /** One worker on {@code repository}, sharing the limit through it, calling the provider at {@code baseUrl}. */
  static Cohort worker(JdbcRepository repository, String baseUrl, String workerId, Settings settings) {
    return worker(repository, baseUrl, workerId, settings, new ProgressListener() {});
  }

  static Cohort worker(JdbcRepository repository, String baseUrl, String workerId, Settings settings,
      ProgressListener listener) {
    Cohort.Builder builder = Cohort.builder().repository(repository).progressListener(listener)
        .llm(OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("sk-shared-limit").build())
        .workerRegistry(JdbcWorkerRegistry.of(repository))
        .workerHeartbeatInterval(settings.heartbeat())
        .workerId(workerId)
        .maxInFlight(settings.concurrency());
    if (settings.told()) {
      builder.rateLimit(RateLimit.ofRequestsPerMinute(Math.toIntExact(settings.rpm())));
    }
    return builder.build();
  }

  /** Waits until the window from {@code start} lasting {@code length} has closed; counts it. */
  private static Window window(LimitedProvider provider, long start, Duration length, Duration patience)
      throws InterruptedException {
    long end = start + length.toNanos();
    // The window has closed once the provider decides a request at or after its end.
    if (!provider.awaitDecisionAtOrAfter(end, patience)) {
      throw new IllegalStateException("the provider decided no request after the window within " + patience + " ("
          + provider.log().size() + " decided in all)");
    }
    long admitted = 0;
    long refused = 0;
    for (LimitedProvider.Answered answered : provider.log()) {
      if (answered.atNanos() - start >= 0 && answered.atNanos() - end < 0) {
        if (answered.admitted()) {
          admitted++;
        } else {
          refused++;
        }
      }
    }
    return new Window(start, end, admitted, refused);
  }

  private static BatchRequest request() {
    List<Entity> pool = EstimateAccuracy.pool();
    return BatchRequest.builder()
        .name("shared limit")
        .context("Neighbours discuss a shared garden and who waters it in August.")
        .entityIds(pool.stream().map(Entity::id).toList())
        .interactionSize(2)
        .numSimulations(BatchRequest.MAX_SIMULATIONS)
        // 12 entities in pairs, 66 simulations a replicate: 6,600 calls, more than a run sends.
        .replicates(100)
        .nTurns(2)
        .simulationRounds(1)
        .seed(5L)
        .llm(new LlmOptions("gpt-4o-mini", null, null))
        .build();
  }

  /** Prints a Markdown table: one row per window. */
  public static void main(String[] args) throws Exception {
    int workers = 3;
    long rpm = 600;
    List<Boolean> told = List.of(true, false);
    long warmup = 65;
    long window = 120;
    long afterStop = 60;
    long median = 800;
    double sigma = 0.5;
    int concurrency = 32;
    boolean kill = false;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(value);
        case "--rpm" -> rpm = Long.parseLong(value);
        case "--told" -> told = List.of(value.split(",")).stream().map(v -> v.equals("yes")).toList();
        case "--warmup-s" -> warmup = Long.parseLong(value);
        case "--window-s" -> window = Long.parseLong(value);
        case "--after-stop-window-s" -> afterStop = Long.parseLong(value);
        case "--median-ms" -> median = Long.parseLong(value);
        case "--sigma" -> sigma = Double.parseDouble(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--stop" -> kill = switch (value) {
          case "close" -> false;
          case "kill" -> true;
          default -> throw new IllegalArgumentException("--stop is close or kill, was " + value);
        };
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(Locale.ROOT, "%d workers on one PostgreSQL store, %d RPM over a sliding minute; latency"
        + " lognormal, median %d ms, sigma %.2f; %d in flight per worker; warm-up %d s, window %d s, then one"
        + " worker %s and, 10 s later, a window of %d s%n", workers, rpm, median, sigma, concurrency, warmup,
        window, kill ? "(a JVM of its own) is killed with SIGKILL" : "stops (close)", afterStop);
    System.out.println("| Cohort | workers | window | achieved RPM (ratio) | calls | 429s (share) | target | |");
    System.out.println("|---|---:|---:|---:|---:|---:|---|---|");
    for (boolean t : told) {
      Settings settings = new Settings(workers, rpm, t, Duration.ofSeconds(warmup), Duration.ofSeconds(window),
          Duration.ofSeconds(10), Duration.ofSeconds(afterStop), Duration.ofMillis(median), sigma, concurrency,
          Duration.ofSeconds(2), kill);
      Result r = run(settings);
      row(t, workers, r.all(), rpm);
      row(t, workers - 1, r.afterStop(), rpm);
      if (!r.stillRunning()) {
        System.out.println("(the batch ran out of work before the end: the windows undercount)");
      }
    }
  }

  private static void row(boolean told, int workers, Window w, long rpm) {
    double ratio = w.perMinute() / rpm;
    boolean met = ratio >= 0.90 && ratio <= 1.0 && w.refusedShare() <= 0.02;
    System.out.printf(Locale.ROOT, "| %s | %d | %d s | %,.1f (%.3f) | %,d | %,d (%.2f %%) | ≥ 0.90, ≤ 2 %% | %s |%n",
        told ? "told" : "not told", workers, (w.end() - w.start()) / 1_000_000_000L, w.perMinute(), ratio, w.sent(),
        w.refused(), 100 * w.refusedShare(), met ? "met" : "missed");
  }
}
