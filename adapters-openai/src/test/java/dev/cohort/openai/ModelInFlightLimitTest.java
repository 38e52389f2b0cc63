package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A model's trouble never starves another: two fake OpenAI-compatible servers on loopback, a
 * registry file giving each model {@code max_in_flight} 4, a global limit of 8 and a batch crossed
 * over both. While alpha's server answers every call with 429 and a retry-after (a storm), alpha's
 * simulations wait holding their slots; beta's call rate is measured during the storm and compared
 * with the same batch run without a storm. A third run, without the per-model limits, shows what
 * the limit prevents: alpha's waiting simulations take every global slot and beta's rate falls.
 */
class ModelInFlightLimitTest {
  /** Groups of the crossed batch: this many simulations, and calls, per model. */
  private static final int GROUPS = 60;
  private static final int GLOBAL_IN_FLIGHT = 8;
  private static final int MODEL_IN_FLIGHT = 4;
  /** Beta's latency, so its rate is bounded by its slots rather than by the machine. */
  private static final Duration BETA_LATENCY = Duration.ofMillis(20);
  /** The storm ends when beta has received every call, or after this long, whichever is first. */
  private static final Duration STORM = Duration.ofSeconds(3);

  @Test
  void aRateLimitStormOnOneModelLeavesTheOtherMostOfItsCallRate() throws IOException {
    double calm = betaCallsPerSecond(true, false);
    double stormed = betaCallsPerSecond(true, true);
    double unlimited = betaCallsPerSecond(false, true);

    System.out.printf("model in-flight limit: beta's calls per second (max_in_flight %d each, global %d, %d ms"
            + " latency): %.1f without a storm, %.1f during alpha's 429 storm (ratio %.2f); without the per-model"
            + " limit %.1f during the storm (ratio %.2f)%n", MODEL_IN_FLIGHT, GLOBAL_IN_FLIGHT,
        BETA_LATENCY.toMillis(), calm, stormed, stormed / calm, unlimited, unlimited / calm);
    assertThat(stormed / calm).as("beta's rate during alpha's storm over its rate without one")
        .isGreaterThanOrEqualTo(0.5);
  }

  /**
   * Runs the crossed batch to its end and returns beta's calls per second: the calls its server
   * received from the first one until the storm ended (or, without a storm, until the last one),
   * over that time.
   *
   * @param limited whether each model has {@code max_in_flight} {@value #MODEL_IN_FLIGHT}
   * @param storm whether alpha's server refuses every call until the storm ends
   */
  private static double betaCallsPerSecond(boolean limited, boolean storm) throws IOException {
    try (FakeOpenAiServer alpha = FakeOpenAiServer.start(); FakeOpenAiServer beta = FakeOpenAiServer.start()) {
      List<Long> betaCalls = new CopyOnWriteArrayList<>();
      AtomicLong stormStart = new AtomicLong();
      AtomicInteger refused = new AtomicInteger();
      beta.otherwise(request -> {
        betaCalls.add(System.nanoTime());
        return BatchesAgainstFakeOpenAiTest.answer(request).delayedBy(BETA_LATENCY);
      });
      alpha.otherwise(request -> {
        long now = System.nanoTime();
        stormStart.compareAndSet(0, now);
        if (storm && betaCalls.size() < GROUPS && now - stormStart.get() < STORM.toNanos()) {
          refused.incrementAndGet();
          // No x-ratelimit headers: the limiter should only pause, not learn a lower rate.
          return Reply.error(429, "requests", "rate_limit_exceeded", "Rate limit reached; try again in 1s.")
              .header("retry-after", "1");
        }
        return BatchesAgainstFakeOpenAiTest.answer(request);
      });

      Batch batch;
      try (Cohort cohort = Cohort.builder()
          .models(registry(alpha, beta, limited))
          .repository(InMemoryRepository.create())
          .maxInFlight(GLOBAL_IN_FLIGHT)
          .maxCallAttempts(10_000)
          .build()) {
        cohort.saveEntities(people());
        batch = cohort.run(request());
      }

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(2 * GROUPS);
      assertThat(betaCalls).hasSize(GROUPS);
      if (storm) {
        assertThat(refused.get()).as("alpha's 429s").isPositive();
      }
      long first = betaCalls.get(0);
      long last = betaCalls.get(GROUPS - 1);
      long end = storm ? Math.min(last, stormStart.get() + STORM.toNanos()) : last;
      long during = betaCalls.stream().filter(t -> t <= end).count();
      return during / ((end - first) / 1e9);
    }
  }

  private static ModelRegistry registry(FakeOpenAiServer alpha, FakeOpenAiServer beta, boolean limited) {
    String limit = limited ? ", \"max_in_flight\": " + MODEL_IN_FLIGHT : "";
    return ModelRegistryFile.read("{\"models\": {"
        + "\"alpha\": {\"base_url\": \"" + alpha.baseUrl() + "\", \"model\": \"model-a\"" + limit + "},"
        + "\"beta\": {\"base_url\": \"" + beta.baseUrl() + "\", \"model\": \"model-b\"" + limit + "}}}", Map.of());
  }

  private static List<Entity> people() {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      people.add(Entity.of("p" + i, "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  /** {@value #GROUPS} groups of two × models alpha and beta, crossed: alpha and beta alternate. */
  private static BatchRequest request() {
    List<String> ids = people().stream().map(Entity::id).toList();
    return BatchRequest.builder()
        .name("storm")
        .context("A short exchange about the weather.")
        .entityIds(ids.toArray(String[]::new))
        .interactionSize(2)
        .numSimulations(GROUPS)
        .nTurns(2)
        .seed(7L)
        .models("alpha", "beta")
        .build();
  }
}
