package dev.cohort.openai;

import static dev.cohort.openai.BatchApiFixtures.PRICES;
import static dev.cohort.openai.BatchApiFixtures.people;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.ScriptedTurns;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Execution {@code batch_api} end to end: a {@link Cohort} sends a batch's rounds as jobs to the fake Batch API. */
class BatchApiExecutionTest {

  private FakeOpenAiServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeOpenAiServer.start();
    server.otherwise(ScriptedTurns::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fiveHundredSimulationsOfThreeRoundsThroughBatchJobsEqualTheSameBatchRunDirectly() {
    BatchRequest request = request(40, 500, 3);
    Batch direct;
    List<Simulation> directSimulations = new ArrayList<>();
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people(40));
      direct = cohort.run(request);
      cohort.forEachSimulation(direct.id(), directSimulations::add);
    }
    int directRequests = server.requests().size();

    InMemoryRepository store = InMemoryRepository.create();
    Batch viaJobs;
    List<Simulation> jobSimulations = new ArrayList<>();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(40));
      viaJobs = cohort.run(request.toBuilder().execution(Execution.BATCH_API).build());
      cohort.forEachSimulation(viaJobs.id(), jobSimulations::add);
    }
    List<Recorded> jobRequests = server.requests().subList(directRequests, server.requests().size());

    assertThat(direct.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(viaJobs.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(viaJobs.request().execution()).isEqualTo(Execution.BATCH_API);
    assertThat(jobSimulations).hasSize(500);
    for (int i = 0; i < 500; i++) {
      Simulation d = directSimulations.get(i);
      Simulation j = jobSimulations.get(i);
      assertThat(j.sequenceNumber()).isEqualTo(d.sequenceNumber());
      assertThat(j.entityIds()).isEqualTo(d.entityIds());
      assertThat(j.turns()).as("simulation %d", i + 1).isEqualTo(d.turns());
      assertThat(j.content()).isEqualTo(d.content());
      assertThat(j.usage()).isEqualTo(d.usage());
      // The batch discount halves every call's price.
      assertThat(j.costUsd()).isCloseTo(d.costUsd() / 2, org.assertj.core.data.Offset.offset(1e-12));
    }
    // One job per round: 3 jobs, each an upload, a create and polls, then the two file reads.
    assertThat(server.batchSubmissions()).isEqualTo(3);
    assertThat(directRequests).isEqualTo(1_500);
    List<ProviderJob> jobs = store.findProviderJobs(viaJobs.id());
    assertThat(jobs).hasSize(3).allSatisfy(job -> {
      assertThat(job.applied()).isTrue();
      assertThat(job.total()).isEqualTo(500);
      assertThat(job.customIds()).hasSize(500);
    });
    System.out.printf("500 x 3 via batch_api: %d provider HTTP requests, %d jobs (direct: %d requests)%n",
        jobRequests.size(), server.batchSubmissions(), directRequests);
    assertThat(jobRequests).hasSizeLessThan(40);
  }

  @Test
  void aRoundIsSplitIntoSeveralJobsBeyondTheJobLimit() {
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = Cohort.builder().llm(model()).repository(store).prices(PRICES)
        .batchJobPollInterval(Duration.ofMillis(5)).batchJobLimits(4, 200L * 1024 * 1024).build()) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 10, 2).toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      // 10 simulations at most 4 a job: 3 jobs a round, 2 rounds.
      assertThat(store.findProviderJobs(batch.id())).extracting(ProviderJob::total)
          .containsExactly(4L, 4L, 2L, 4L, 4L, 2L);
    }
  }

  @Test
  void requestsInTheErrorFileAreTriedAgainInTheNextJob() {
    server.failBatchRequests(id -> id.startsWith("s3-r1-") && id.endsWith("-a1"));
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 5, 2).toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      List<ProviderJob> jobs = store.findProviderJobs(batch.id());
      // The retry rides in the next job with the other simulations' next round.
      assertThat(jobs.get(1).customIds()).containsExactly("s1-r2-q0-a1", "s2-r2-q0-a1", "s3-r1-q0-a2", "s4-r2-q0-a1",
          "s5-r2-q0-a1");
      assertThat(jobs).hasSize(3);
      assertThat(batch.counts().completed()).isEqualTo(5);
    }
  }

  @Test
  void requestsAnExpiredJobLeftUnansweredAreTriedAgain() {
    server.expireNextBatchJobAfter(3);
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 8, 1).toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(8);
      assertThat(server.batchJobStatuses()).containsExactly("expired", "completed");
      assertThat(store.findProviderJobs(batch.id()).get(1).total()).isEqualTo(5);
    }
  }

  @Test
  void anUnusableAnswerIsAskedAgainInTheNextJob() {
    // The fake answers a job's lines in input order, which is sequence order: the second is simulation 2's.
    java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    server.otherwise(request -> answered.incrementAndGet() == 2 ? Reply.ok("I would rather not.") : ScriptedTurns.answer(request));
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 3, 1).toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(store.findProviderJobs(batch.id()).get(1).customIds()).containsExactly("s2-r1-q1-a1");
      assertThat(store.findProviderJobs(batch.id())).hasSize(2);
      Simulation two = cohort.getBatch(batch.id(), true).simulations().get(1);
      assertThat(two.usage().calls()).isEqualTo(2);
    }
  }

  @Test
  void aJobThatDoesNotFitTheBudgetIsNotSubmittedAndTheBatchStopsAtItsBudget() {
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 10, 1).toBuilder().execution(Execution.BATCH_API)
          .llm(new dev.cohort.core.batch.LlmOptions("gpt-4o-mini-2024-07-18", null, null)).maxCostUsd(0.0005).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(batch.error()).startsWith("budget reached");
      assertThat(server.batchSubmissions()).isZero();
      assertThat(cohort.providerJobs(batch.id())).isEmpty();
    }
  }

  @Test
  void aBudgetedBatchSettlesEveryJobsSpendAtTheBatchPrice() {
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(10, 10, 2).toBuilder().execution(Execution.BATCH_API)
          .llm(new dev.cohort.core.batch.LlmOptions("gpt-4o-mini-2024-07-18", null, null)).maxCostUsd(1.0).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      // 20 calls of 400 prompt and 60 completion tokens, at half of $0.15 and $0.60 a million.
      double expected = 20 * (400 * 0.15 + 60 * 0.60) / 1_000_000 * 0.5;
      assertThat(store.spentOn(batch.id()).costUsd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(batch.costUsd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(cohort.providerJobs(batch.id())).hasSize(2);
    }
  }

  @Test
  void cancellingCancelsTheProviderJobAndStoresTheRoundsItFinished() {
    server.holdBatchJobsInProgress(true);
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.createBatch(request(10, 4, 2).toBuilder().execution(Execution.BATCH_API).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> cohort.providerJobs(batch.id()).stream()
          .anyMatch(j -> j.state() == BatchJobState.IN_PROGRESS));

      Batch cancelled = cohort.cancel(batch.id());

      assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(server.batchJobStatuses()).containsExactly("cancelled");
      assertThat(cohort.providerJobs(batch.id())).singleElement().satisfies(job -> {
        assertThat(job.state()).isEqualTo(BatchJobState.CANCELLED);
        assertThat(job.applied()).isTrue();
        assertThat(job.completed()).isEqualTo(2);
      });
      List<Simulation> simulations = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), simulations::add);
      // The fake's cancelled job answered the first half of its requests: their first rounds are stored.
      assertThat(simulations).filteredOn(s -> !s.turns().isEmpty()).extracting(Simulation::sequenceNumber)
          .containsExactlyInAnyOrder(1, 2);
      assertThat(simulations).extracting(Simulation::status).containsOnly(SimulationStatus.CANCELLED);
      assertThat(server.batchSubmissions()).isEqualTo(1);
    }
  }

  @Test
  void batchApiWithAModelThatCannotRunJobsIsAValidationError() {
    LlmPort plain = request -> ChatResponse.of("{}", dev.cohort.core.batch.TokenUsage.ZERO);
    try (Cohort cohort = Cohort.builder().llm(plain).repository(InMemoryRepository.create()).build()) {
      cohort.saveEntities(people(4));
      assertThatThrownBy(() -> cohort.run(request(4, 2, 1).toBuilder().execution(Execution.BATCH_API).build()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("execution")
          .hasMessageContaining("batch_api needs a model that runs provider batch jobs");
    }
  }

  private OpenAiChatModel model() {
    return BatchApiFixtures.model(server);
  }

  private Cohort cohort(InMemoryRepository store) {
    return BatchApiFixtures.cohort(server, store, 16);
  }

  private static BatchRequest request(int pool, int simulations, int rounds) {
    return BatchRequest.builder()
        .name("batch api test")
        .context("A short exchange about the weather.")
        .entityIds(people(pool).stream().map(Entity::id).collect(Collectors.toList()))
        .interactionSize(2)
        .numSimulations(simulations)
        .nTurns(2)
        .simulationRounds(rounds)
        .seed(11L)
        .build();
  }
}
