package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.port.RateLimit;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.jdbc.JdbcWorkerRegistry;
import dev.cohort.jdbc.PostgresServer;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three workers ({@code Cohort} instances, each on its own repository) on one PostgreSQL store and
 * one provider account that enforces its requests per minute: sharing the limit through the store,
 * together they stay within it, and when one stops the other two take its share.
 */
class SharedLimitTest {
  private static final long RPM = 600;
  private static final Duration HEARTBEAT = Duration.ofMillis(250);
  private static final Duration PATIENCE = Duration.ofMinutes(1);

  @Test
  void threeWorkersTogetherStayWithinTheLimitAndAStoppedWorkersShareReturnsToTheOthers() throws Exception {
    LimitedProvider provider = new LimitedProvider(RPM, 100_000_000, Duration.ofMillis(50), 0.3, 21L,
        System::nanoTime);
    String url = PostgresServer.freshSchemaUrl();
    List<JdbcRepository> repositories = new ArrayList<>();
    List<Cohort> workers = new ArrayList<>();
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(provider);
      for (int i = 0; i < 3; i++) {
        JdbcRepository repository = JdbcRepository.builder().url(url).build();
        repositories.add(repository);
        workers.add(Cohort.builder().repository(repository)
            .llm(OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-shared-limit").build())
            .rateLimit(RateLimit.ofRequestsPerMinute(Math.toIntExact(RPM)))
            .workerRegistry(JdbcWorkerRegistry.of(repository))
            .workerHeartbeatInterval(HEARTBEAT)
            .workerId("worker-" + i)
            .maxInFlight(8)
            .build());
      }
      workers.get(0).saveEntities(EstimateAccuracy.pool());
      Batch batch = workers.get(0).createBatch(request());
      workers.get(1).resume(batch.id());
      workers.get(2).resume(batch.id());

      // Three workers: each paces at a third of the limit once it has seen the others' heartbeats.
      long start = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      Window together = window(provider, start, Duration.ofSeconds(12));

      workers.remove(2).close();
      Window two = window(provider, together.end() + HEARTBEAT.multipliedBy(4).toNanos(), Duration.ofSeconds(10));

      assertThat(workers.get(0).getBatch(batch.id()).status().isTerminal()).as("batch still running").isFalse();
      // Without sharing, three workers would send three times the limit, and two workers at a third
      // each would send two thirds of it.
      assertThat(together.perMinute()).as("three workers, requests per minute").isBetween(0.85 * RPM, 1.0 * RPM);
      assertThat(two.perMinute()).as("two workers after the third stopped").isBetween(0.85 * RPM, 1.0 * RPM);
      assertThat(together.refused() + two.refused())
          .as("429s").isLessThanOrEqualTo((long) (0.02 * (together.sent() + two.sent())));
      workers.get(0).cancel(batch.id());
    } finally {
      workers.forEach(Cohort::close);
      repositories.forEach(JdbcRepository::close);
    }
  }

  /** What the provider decided in one window of its clock. */
  private record Window(long start, long end, long admitted, long refused) {
    double perMinute() {
      return admitted * 60e9 / (end - start);
    }

    long sent() {
      return admitted + refused;
    }
  }

  /** Waits until the window from {@code start} lasting {@code length} has closed; counts it. */
  private static Window window(LimitedProvider provider, long start, Duration length) throws InterruptedException {
    long end = start + length.toNanos();
    assertThat(provider.awaitDecisionAtOrAfter(end, PATIENCE)).as("a request decided after the window").isTrue();
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
        .replicates(1)
        .nTurns(2)
        .simulationRounds(1)
        .seed(5L)
        .llm(new LlmOptions("gpt-4o-mini", null, null))
        .build();
  }
}
