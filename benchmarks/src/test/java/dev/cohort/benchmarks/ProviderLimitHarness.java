package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures how close Cohort runs to a provider account's rate limit: a batch runs through {@link
 * OpenAiChatModel} against a {@link LimitedProvider} on loopback (requests and tokens per minute
 * over a sliding minute, lognormal latency), and after a warm-up the harness counts, over a steady
 * window, the requests and tokens the provider admitted per minute as a ratio of its limits, and
 * the share of answers that were 429s.
 *
 * <p>Two shapes: <b>rpm-bound</b> (short conversations: pairs, one round of two turns, so the
 * requests per minute run out first) and <b>tpm-bound</b> (long ones: groups of three, four rounds of
 * four turns whose transcripts grow, so the tokens run out first). Each runs with Cohort <b>told</b>
 * the limits ({@code Cohort.Builder.rateLimit}, what {@code --rpm}/{@code --tpm} set) and <b>not
 * told</b> (the builder's default: it learns the limits from the answers' headers). The warm-up
 * outlasts a minute, so the provider's sliding minute is full when counting starts: during the
 * first minute a client can exceed the rate without being refused.
 *
 * <pre>{@code
 * java -cp <benchmarks test class path> dev.cohort.benchmarks.ProviderLimitHarness
 * # options: --shapes rpm-bound,tpm-bound --told yes,no --warmup-s 65 --window-s 120
 * #          --median-ms 800 --sigma 0.5 --concurrency 64
 * #          --rpm-bound-limits 600,2000000 --tpm-bound-limits 600,240000
 * }</pre>
 */
public final class ProviderLimitHarness {
  /** Told: the least ratio of the limit and the most share of 429s that meet the target. */
  static final double TOLD_RATIO = 0.97;
  static final double TOLD_REFUSED = 0.005;
  /** Not told (headers only). */
  static final double UNTOLD_RATIO = 0.90;
  static final double UNTOLD_REFUSED = 0.02;

  /** A conversation shape and the limits that make it bound by one of them. */
  record Shape(String name, int k, int turns, int rounds, int replicates, long rpm, long tpm, boolean requestBound) {}

  /** How a run is timed and loaded. */
  record Settings(Duration warmup, Duration window, Duration medianLatency, double sigma, int concurrency) {}

  /**
   * What the provider saw during the window.
   *
   * @param admitted requests admitted
   * @param tokens tokens they cost against the limit
   * @param refused requests answered 429
   */
  record Result(Shape shape, boolean told, Duration window, long admitted, long tokens, long refused) {
    double requestRatio() {
      return admitted / minutes() / shape.rpm();
    }

    double tokenRatio() {
      return tokens / minutes() / shape.tpm();
    }

    /** The ratio of the limit that binds this shape. */
    double boundRatio() {
      return shape.requestBound() ? requestRatio() : tokenRatio();
    }

    double refusedShare() {
      long answered = admitted + refused;
      return answered == 0 ? 0 : (double) refused / answered;
    }

    boolean met() {
      return boundRatio() >= (told ? TOLD_RATIO : UNTOLD_RATIO)
          && refusedShare() <= (told ? TOLD_REFUSED : UNTOLD_REFUSED);
    }

    private double minutes() {
      return window.toNanos() / 60e9;
    }
  }

  private ProviderLimitHarness() {}

  /** Runs one shape, told the limits or not, and counts what the provider admitted in the window. */
  static Result run(Shape shape, boolean told, Settings settings) throws IOException, InterruptedException {
    LimitedProvider provider = new LimitedProvider(
        shape.rpm(), shape.tpm(), settings.medianLatency(), settings.sigma(), 21L, System::nanoTime);
    Cohort.Builder builder = Cohort.builder().repository(InMemoryRepository.create()).maxInFlight(settings.concurrency());
    if (told) {
      builder.rateLimit(RateLimit.of(Math.toIntExact(shape.rpm()), shape.tpm()));
    }
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(provider);
      try (Cohort cohort = builder
          .llm(OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-bench-limit").build())
          .build()) {
        cohort.saveEntities(EstimateAccuracy.pool());
        long started = System.nanoTime();
        Batch batch = cohort.createBatch(request(shape));
        long windowStart = started + settings.warmup().toNanos();
        long windowEnd = windowStart + settings.window().toNanos();
        // The window has closed once the provider decides a request at or after its end.
        Duration patience = settings.warmup().plus(settings.window()).plus(Duration.ofMinutes(1));
        if (!provider.awaitDecisionAtOrAfter(windowEnd, patience)) {
          throw new IllegalStateException("the provider decided no request after the window within " + patience);
        }
        Batch seen = cohort.getBatch(batch.id());
        if (seen.status().isTerminal()) {
          throw new IllegalStateException("the batch finished before the window closed; give it more replicates");
        }
        cohort.cancel(batch.id());
        long admitted = 0;
        long tokens = 0;
        long refused = 0;
        for (LimitedProvider.Answered answered : provider.log()) {
          if (answered.atNanos() - windowStart < 0 || answered.atNanos() - windowEnd >= 0) {
            continue;
          }
          if (answered.admitted()) {
            admitted++;
            tokens += answered.tokens();
          } else {
            refused++;
          }
        }
        return new Result(shape, told, settings.window(), admitted, tokens, refused);
      }
    }
  }

  private static BatchRequest request(Shape shape) {
    List<Entity> pool = EstimateAccuracy.pool();
    return BatchRequest.builder()
        .name("provider limit " + shape.name())
        .context("A town hall meeting about a plan to build 2,000 new homes on the old rail yards, with fewer"
            + " parking spaces and a new tram line. Residents, business owners and council staff argue about"
            + " rents, traffic, schools and who benefits.")
        .entityIds(pool.stream().map(Entity::id).toList())
        .interactionSize(shape.k())
        .numSimulations(BatchRequest.MAX_SIMULATIONS)
        .replicates(shape.replicates())
        .nTurns(shape.turns())
        .simulationRounds(shape.rounds())
        .seed(7L)
        .llm(new LlmOptions("gpt-4o-mini", null, null))
        .build();
  }

  /** Prints a Markdown table row per run. */
  public static void main(String[] args) throws Exception {
    List<String> shapes = List.of("rpm-bound", "tpm-bound");
    List<Boolean> told = List.of(true, false);
    long warmup = 65;
    long window = 120;
    long median = 800;
    double sigma = 0.5;
    int concurrency = 64;
    long[] rpmBound = {600, 2_000_000};
    long[] tpmBound = {600, 240_000};
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--shapes" -> shapes = List.of(value.split(","));
        case "--told" -> told = List.of(value.split(",")).stream().map(v -> v.equals("yes")).toList();
        case "--warmup-s" -> warmup = Long.parseLong(value);
        case "--window-s" -> window = Long.parseLong(value);
        case "--median-ms" -> median = Long.parseLong(value);
        case "--sigma" -> sigma = Double.parseDouble(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--rpm-bound-limits" -> rpmBound = limits(value);
        case "--tpm-bound-limits" -> tpmBound = limits(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Settings settings = new Settings(Duration.ofSeconds(warmup), Duration.ofSeconds(window),
        Duration.ofMillis(median), sigma, concurrency);
    System.out.printf(Locale.ROOT, "limits over a sliding minute; latency lognormal, median %d ms, sigma %.2f;"
        + " %d simulations in flight; warm-up %d s, window %d s%n", median, sigma, concurrency, warmup, window);
    System.out.println("| shape | Cohort | limit RPM / TPM | achieved RPM (ratio) | achieved TPM (ratio) | calls | 429s"
        + " (share) | target | |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---|---|");
    List<Result> results = new ArrayList<>();
    for (String name : shapes) {
      Shape shape = switch (name) {
        case "rpm-bound" -> new Shape(name, 2, 2, 1, 50, rpmBound[0], rpmBound[1], true);
        case "tpm-bound" -> new Shape(name, 3, 4, 4, 3, tpmBound[0], tpmBound[1], false);
        default -> throw new IllegalArgumentException("unknown shape " + name + " (rpm-bound, tpm-bound)");
      };
      for (boolean t : told) {
        Result r = run(shape, t, settings);
        results.add(r);
        double minutes = window / 60.0;
        System.out.printf(Locale.ROOT, "| %s | %s | %,d / %,d | %,.1f (%.3f) | %,.0f (%.3f) | %,d | %,d (%.2f %%) | %s | %s |%n",
            name, t ? "told" : "not told", shape.rpm(), shape.tpm(),
            r.admitted() / minutes, r.requestRatio(), r.tokens() / minutes, r.tokenRatio(),
            r.admitted() + r.refused(), r.refused(), 100 * r.refusedShare(),
            t ? "≥ 0.97, ≤ 0.5 %" : "≥ 0.90, ≤ 2 %", r.met() ? "met" : "missed");
      }
    }
  }

  private static long[] limits(String value) {
    String[] parts = value.split(",");
    if (parts.length != 2) {
      throw new IllegalArgumentException("limits are RPM,TPM, was " + value);
    }
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }
}
