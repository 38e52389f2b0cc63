package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Models as a design factor, over real loopback HTTP: two fake OpenAI-compatible servers, one per
 * registry name, and one batch crossed over both.
 */
class ModelsAgainstTwoFakeServersTest {
  private FakeOpenAiServer alphaServer;
  private FakeOpenAiServer betaServer;

  @BeforeEach
  void startServers() throws IOException {
    alphaServer = FakeOpenAiServer.start();
    betaServer = FakeOpenAiServer.start();
  }

  @AfterEach
  void stopServers() {
    alphaServer.close();
    betaServer.close();
  }

  @Test
  void aCrossedBatchRunsEveryGroupOncePerModelEachOnItsOwnServer() {
    alphaServer.otherwise(BatchesAgainstFakeOpenAiTest::answer);
    betaServer.otherwise(BatchesAgainstFakeOpenAiTest::answer);

    Batch batch;
    List<Simulation> simulations;
    String csv;
    try (Cohort cohort = cohort(32)) {
      cohort.saveEntities(people());
      batch = cohort.run(request());
      simulations = simulations(cohort, batch.id());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      cohort.export(batch.id(), ExportFormat.CSV, out);
      csv = out.toString(StandardCharsets.UTF_8);
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.plannedSimulations()).isEqualTo(20);
    assertThat(batch.counts().completed()).isEqualTo(20);
    // Each server received exactly its share, each request for its own model.
    assertThat(alphaServer.requests()).hasSize(10)
        .allSatisfy(r -> assertThat(r.json().path("model").asText()).isEqualTo("model-a"));
    assertThat(betaServer.requests()).hasSize(10)
        .allSatisfy(r -> assertThat(r.json().path("model").asText()).isEqualTo("model-b"));
    // Group-major: 2i-1 on alpha and 2i on beta share group and speaking order.
    assertThat(simulations).extracting(Simulation::sequenceNumber)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()));
    Set<List<String>> alphaGroups = new HashSet<>();
    Set<List<String>> betaGroups = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      Simulation onAlpha = simulations.get(2 * i);
      Simulation onBeta = simulations.get(2 * i + 1);
      assertThat(onAlpha.plannedModel()).isEqualTo("alpha");
      assertThat(onBeta.plannedModel()).isEqualTo("beta");
      assertThat(onBeta.entityIds()).isEqualTo(onAlpha.entityIds());
      assertThat(onBeta.speakingOrder()).isEqualTo(onAlpha.speakingOrder());
      // Besides the planned name, what the provider reported answering with.
      assertThat(onAlpha.model()).isEqualTo("gpt-4o-mini-2024-07-18");
      alphaGroups.add(onAlpha.entityIds());
      betaGroups.add(onBeta.entityIds());
    }
    assertThat(alphaGroups).hasSize(10).isEqualTo(betaGroups);
    // And the same call seeds: simulation i of each model is the same draw.
    assertThat(seeds(alphaServer)).hasSize(10).isEqualTo(seeds(betaServer));
    // The export names the model of each row.
    List<String> lines = csv.lines().collect(Collectors.toList());
    assertThat(lines.get(0)).contains(",Model");
    assertThat(csv).contains(",alpha").contains(",beta");
  }

  /**
   * Alpha's server refuses every call with a minute's retry-after. Time is the test's: the ticker
   * and sleeper wait in real time until the storm ends, then time jumps past every pause. Had the
   * models shared one limiter, alpha's 429s would have paused beta's calls for that minute too, and
   * beta's simulations could not complete within the wait.
   */
  @Test
  void aRateLimitStormOnOneServerDoesNotHoldBackTheOtherModel() {
    AtomicBoolean storm = new AtomicBoolean(true);
    AtomicInteger alphaAnswered = new AtomicInteger();
    alphaServer.otherwise(request -> {
      if (storm.get()) {
        return Reply.rateLimited("60");
      }
      alphaAnswered.incrementAndGet();
      return BatchesAgainstFakeOpenAiTest.answer(request);
    });
    List<Long> betaAnswers = new CopyOnWriteArrayList<>();
    betaServer.otherwise(request -> {
      betaAnswers.add(System.nanoTime());
      return BatchesAgainstFakeOpenAiTest.answer(request);
    });

    AtomicLong skipped = new AtomicLong();
    Object moved = new Object();
    Ticker ticker = () -> System.nanoTime() + skipped.get();
    Sleeper sleeper = duration -> {
      long end = ticker.nanos() + duration.toNanos();
      synchronized (moved) {
        for (long left = end - ticker.nanos(); left > 0; left = end - ticker.nanos()) {
          moved.wait(Math.max(1, left / 1_000_000));
        }
      }
    };
    try (Cohort cohort = cohort(32, ticker, sleeper)) {
      cohort.saveEntities(people());
      long start = System.nanoTime();
      Batch created = cohort.createBatch(request());
      // Every beta simulation completes while alpha's server still refuses every call.
      await().atMost(Duration.ofSeconds(45)).until(() -> completedOn(cohort, created.id(), "beta") == 10);
      long betaDone = System.nanoTime();
      assertThat(storm.get()).isTrue();
      assertThat(alphaAnswered.get()).isZero();
      assertThat(alphaServer.requests()).isNotEmpty();
      assertThat(completedOn(cohort, created.id(), "alpha")).isZero();
      System.out.printf("models: beta's 10 calls answered within %d ms of the start while alpha met %d 429s%n",
          (betaDone - start) / 1_000_000, alphaServer.requests().size());

      storm.set(false);
      synchronized (moved) {
        skipped.addAndGet(Duration.ofMinutes(3).toNanos());
        moved.notifyAll();
      }
      Batch batch = cohort.await(created.id(), Duration.ofMinutes(2));
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(20);
      assertThat(alphaAnswered.get()).isEqualTo(10);
      assertThat(betaAnswers).hasSize(10);
    }
  }

  @Test
  void aBadKeyOnOneModelFailsOnlyItsSimulationsAndTheBatchEndsPartialNamingIt() {
    alphaServer.otherwise(BatchesAgainstFakeOpenAiTest::answer);
    betaServer.otherwise(request -> Reply.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: sk-beta***. You can find your API key at https://platform.openai.com."));

    Batch batch;
    List<Simulation> simulations;
    try (Cohort cohort = cohort(4)) {
      cohort.saveEntities(people());
      batch = cohort.run(request());
      simulations = simulations(cohort, batch.id());
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(batch.counts().completed()).isEqualTo(10);
    assertThat(batch.counts().failed()).isEqualTo(10);
    assertThat(batch.error()).contains("model beta").contains("401");
    assertThat(simulations).filteredOn(s -> "alpha".equals(s.plannedModel()))
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED));
    assertThat(simulations).filteredOn(s -> "beta".equals(s.plannedModel()))
        .hasSize(10)
        .allSatisfy(s -> {
          assertThat(s.status()).isEqualTo(SimulationStatus.FAILED);
          assertThat(s.error()).contains("model beta");
        });
    assertThat(alphaServer.requests()).hasSize(10);
    // Once beta is known to be unusable its remaining simulations fail without calling it.
    assertThat(betaServer.requests().size()).isLessThan(10);
  }

  @Test
  void aRequestNamingAModelTheRegistryLacksIsRefusedNamingIt() {
    try (Cohort cohort = cohort(4)) {
      cohort.saveEntities(people());
      BatchRequest request = request().toBuilder().models("alpha", "gamma").build();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> cohort.createBatch(request))
          .isInstanceOf(dev.cohort.core.batch.ValidationException.class)
          .hasMessageContaining("gamma")
          .hasMessageContaining("alpha, beta");
    }
    assertThat(alphaServer.requests()).isEmpty();
  }

  private Cohort cohort(int maxInFlight) {
    return cohort(maxInFlight, Ticker.SYSTEM, Sleeper.SYSTEM);
  }

  private Cohort cohort(int maxInFlight, Ticker ticker, Sleeper sleeper) {
    ModelRegistry registry = ModelRegistry.builder()
        .model("alpha", OpenAiChatModel.builder().baseUrl(alphaServer.baseUrl()).apiKey("sk-alpha-0000111122223333")
            .model("model-a").build())
        .model("beta", OpenAiChatModel.builder().baseUrl(betaServer.baseUrl()).apiKey("sk-beta-0000111122223333")
            .model("model-b").build())
        .build();
    return Cohort.builder()
        .models(registry)
        .repository(InMemoryRepository.create())
        .maxInFlight(maxInFlight)
        .maxCallAttempts(10_000)
        .ticker(ticker)
        .sleeper(sleeper)
        .build();
  }

  private static List<Entity> people() {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      people.add(Entity.of("p" + i, "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  /** 10 groups (all pairs of 5) × models alpha and beta, crossed (the default). */
  private static BatchRequest request() {
    return BatchRequest.builder()
        .name("two models")
        .context("A short exchange about the weather.")
        .entityIds("p1", "p2", "p3", "p4", "p5")
        .interactionSize(2)
        .numSimulations(10)
        .nTurns(2)
        .seed(11L)
        .models("alpha", "beta")
        .build();
  }

  private static List<Simulation> simulations(Cohort cohort, String batchId) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(batchId, all::add);
    all.sort(Comparator.comparingInt(Simulation::sequenceNumber));
    return all;
  }

  private static long completedOn(Cohort cohort, String batchId, String model) {
    return simulations(cohort, batchId).stream()
        .filter(s -> model.equals(s.plannedModel()) && s.status() == SimulationStatus.COMPLETED)
        .count();
  }

  private static Set<Long> seeds(FakeOpenAiServer server) {
    return server.requests().stream().map(Recorded::json).map(j -> j.path("seed").asLong())
        .collect(Collectors.toSet());
  }
}
