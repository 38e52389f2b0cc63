package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.RoleplayTurns;
import dev.cohort.testkit.openai.ScriptedTurns;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Execution {@code batch_api} with models as a factor, over real loopback HTTP: two fake
 * OpenAI-compatible servers with their Batch APIs, one registry. Each model's requests go into jobs
 * of its own provider only, and the results equal the same batch run directly.
 */
class BatchApiAcrossProvidersTest {
  /** Alpha at OpenAI's half price through jobs; beta at a provider whose batch API takes 60 % off. */
  private static final ModelPrice ALPHA_PRICE = new ModelPrice(0.15, 0.075, 0.60, 0.5);
  private static final ModelPrice BETA_PRICE = new ModelPrice(2.50, 1.25, 10.00, 0.4);

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
  void aCrossedBatchSendsEachModelsRequestsInJobsOfItsOwnProviderAndEqualsTheBatchRunDirectly() {
    answerWith(ScriptedTurns::answer);
    BatchRequest request = crossed();

    List<Simulation> direct = run(request, InMemoryRepository.create());
    int alphaDirect = alphaServer.requests().size();
    int betaDirect = betaServer.requests().size();
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = run(request.toBuilder().execution(Execution.BATCH_API).build(), store);

    // 10 groups × 2 models × 2 rounds: each provider answers its 10 simulations' 2 rounds.
    assertThat(alphaDirect).isEqualTo(20);
    assertThat(betaDirect).isEqualTo(20);
    assertThat(alphaServer.batchJobRequestBodies()).hasSize(2).allSatisfy(job -> assertThat(job).hasSize(10)
        .allSatisfy(body -> assertThat(body.path("model").asText()).isEqualTo("model-a")));
    assertThat(betaServer.batchJobRequestBodies()).hasSize(2).allSatisfy(job -> assertThat(job).hasSize(10)
        .allSatisfy(body -> assertThat(body.path("model").asText()).isEqualTo("model-b")));
    // No chat completion was sent directly while the batch ran through jobs.
    assertThat(chatCalls(alphaServer)).isEqualTo(alphaDirect);
    assertThat(chatCalls(betaServer)).isEqualTo(betaDirect);

    List<ProviderJob> jobs = store.findProviderJobs(viaJobs.get(0).batchId());
    assertThat(jobs).hasSize(4).allSatisfy(job -> assertThat(job.applied()).isTrue());
    assertThat(jobs).extracting(ProviderJob::model).containsExactlyInAnyOrder("alpha", "beta", "alpha", "beta");
    for (ProviderJob job : jobs) {
      // Crossed and group-major: alpha's simulations are the odd sequence numbers, beta's the even.
      int parity = "alpha".equals(job.model()) ? 1 : 0;
      assertThat(job.customIds()).hasSize(10)
          .allSatisfy(id -> assertThat(sequence(id) % 2).as(id).isEqualTo(parity));
    }

    assertThat(viaJobs).hasSize(20);
    for (int i = 0; i < 20; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.plannedModel()).isEqualTo(d.plannedModel()).isEqualTo(i % 2 == 0 ? "alpha" : "beta");
      assertThat(j.entityIds()).isEqualTo(d.entityIds());
      assertThat(j.turns()).as("simulation %d", i + 1).hasSize(4).isEqualTo(d.turns());
      assertThat(j.content()).isEqualTo(d.content());
      assertThat(j.usage()).isEqualTo(d.usage());
      // What its own provider reported answering with.
      assertThat(j.model()).isEqualTo(d.model()).isEqualTo(i % 2 == 0 ? "model-a" : "model-b");
      // Each model priced at its own batch discount.
      double discount = i % 2 == 0 ? ALPHA_PRICE.batchDiscount() : BETA_PRICE.batchDiscount();
      assertThat(j.costUsd()).isCloseTo(d.costUsd() * discount, Offset.offset(1e-12));
    }
  }

  @Test
  void aRoleplayBatchSendsEachSpeakersTurnsToItsOwnModelsProvider() {
    answerWith(RoleplayTurns::answer);
    // Persons 1 and 2 speak through beta; everyone else through the batch's model alpha.
    BatchRequest request = roleplay();
    Set<String> betaSpeakers = Set.of("Person 1", "Person 2");

    List<Simulation> direct = run(request, InMemoryRepository.create());
    List<String> betaDirectSpeakers = speakers(betaServer.requests());
    int alphaDirect = alphaServer.requests().size();
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = run(request.toBuilder().execution(Execution.BATCH_API).build(), store);

    // 10 groups of 3 × 4 turns, each turn asked of its speaker's model.
    assertThat(alphaDirect + betaDirectSpeakers.size()).isEqualTo(40);
    assertThat(betaDirectSpeakers).isNotEmpty().allSatisfy(s -> assertThat(betaSpeakers).contains(s));
    List<List<JsonNode>> betaJobs = betaServer.batchJobRequestBodies();
    List<List<JsonNode>> alphaJobs = alphaServer.batchJobRequestBodies();
    for (List<JsonNode> job : betaJobs) {
      assertThat(job).isNotEmpty().allSatisfy(body -> {
        assertThat(body.path("model").asText()).isEqualTo("model-b");
        assertThat(betaSpeakers).contains(RoleplayTurns.speaker(body));
      });
    }
    for (List<JsonNode> job : alphaJobs) {
      assertThat(job).isNotEmpty().allSatisfy(body -> {
        assertThat(body.path("model").asText()).isEqualTo("model-a");
        assertThat(betaSpeakers).doesNotContain(RoleplayTurns.speaker(body));
      });
    }
    // The same turns went to each provider as when run directly: exactly its share.
    assertThat(betaJobs.stream().mapToInt(List::size).sum()).isEqualTo(betaDirectSpeakers.size());
    assertThat(alphaJobs.stream().mapToInt(List::size).sum()).isEqualTo(alphaDirect);
    // One job per turn number and model at most: 4 turn numbers.
    List<ProviderJob> jobs = store.findProviderJobs(viaJobs.get(0).batchId());
    assertThat(jobs).hasSize(alphaJobs.size() + betaJobs.size()).hasSizeLessThanOrEqualTo(8);
    assertThat(jobs.stream().filter(j -> "beta".equals(j.model())).count()).isEqualTo(betaJobs.size());

    for (int i = 0; i < 10; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.turns()).as("simulation %d", i + 1).hasSize(4).isEqualTo(d.turns());
      assertThat(j.usage()).isEqualTo(d.usage());
      // Each turn at its speaker's model's discount: beta's 0.4, alpha's 0.5; the group without
      // persons 1 and 2 speaks through alpha alone.
      assertThat(d.costUsd()).isPositive();
      if (d.entityIds().equals(List.of("p3", "p4", "p5"))) {
        assertThat(j.costUsd()).isCloseTo(d.costUsd() * 0.5, Offset.offset(1e-12));
      } else {
        assertThat(j.costUsd()).isGreaterThan(d.costUsd() * 0.4).isLessThan(d.costUsd() * 0.5);
      }
    }
  }

  @Test
  void aResumedBatchPollsEachStoredJobAtItsOwnModelsProviderInsteadOfSubmittingAgain() {
    answerWith(ScriptedTurns::answer);
    alphaServer.holdBatchJobsInProgress(true);
    betaServer.holdBatchJobsInProgress(true);
    InMemoryRepository store = InMemoryRepository.create();
    String id;
    try (Cohort first = cohort(store)) {
      first.saveEntities(people());
      id = first.createBatch(crossed().toBuilder().execution(Execution.BATCH_API).build()).id();
      await().atMost(Duration.ofSeconds(30)).until(() -> first.providerJobs(id).stream()
          .filter(j -> j.state() == BatchJobState.IN_PROGRESS).count() == 2);
    }
    // The first process stopped with both round-1 jobs running, one at each provider.
    assertThat(store.findProviderJobs(id)).extracting(ProviderJob::model).containsExactlyInAnyOrder("alpha", "beta");
    alphaServer.holdBatchJobsInProgress(false);
    betaServer.holdBatchJobsInProgress(false);

    try (Cohort second = cohort(store)) {
      second.resume(id);
      Batch done = second.await(id, Duration.ofSeconds(60));

      assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(done.counts().completed()).isEqualTo(20);
    }
    // Round 1's jobs were polled where they ran, not submitted again: one job per round and provider.
    assertThat(alphaServer.batchSubmissions()).isEqualTo(2);
    assertThat(betaServer.batchSubmissions()).isEqualTo(2);
    assertThat(alphaServer.batchJobStatuses()).containsExactly("completed", "completed");
    assertThat(betaServer.batchJobStatuses()).containsExactly("completed", "completed");
  }

  @Test
  void cancellingCancelsEachJobAtItsOwnModelsProvider() {
    answerWith(ScriptedTurns::answer);
    alphaServer.holdBatchJobsInProgress(true);
    betaServer.holdBatchJobsInProgress(true);
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people());
      Batch batch = cohort.createBatch(crossed().toBuilder().execution(Execution.BATCH_API).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> cohort.providerJobs(batch.id()).stream()
          .filter(j -> j.state() == BatchJobState.IN_PROGRESS).count() == 2);

      Batch cancelled = cohort.cancel(batch.id());

      assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(alphaServer.batchJobStatuses()).containsExactly("cancelled");
      assertThat(betaServer.batchJobStatuses()).containsExactly("cancelled");
      assertThat(cohort.providerJobs(batch.id())).hasSize(2).allSatisfy(job -> {
        assertThat(job.state()).isEqualTo(BatchJobState.CANCELLED);
        assertThat(job.applied()).isTrue();
      });
    }
  }

  @Test
  void aBadKeyAtOneProvidersBatchApiFailsOnlyThatModelsSimulationsNamingIt() {
    answerWith(ScriptedTurns::answer);
    betaServer.refuseBatchCalls(Reply.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: sk-beta***."));
    Batch batch;
    List<Simulation> simulations = new ArrayList<>();
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people());
      batch = cohort.run(crossed().toBuilder().execution(Execution.BATCH_API).build());
      cohort.forEachSimulation(batch.id(), simulations::add);
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(batch.error()).startsWith("model beta could not be used").contains("401")
        .endsWith("the other models' simulations ran");
    assertThat(batch.counts().completed()).isEqualTo(10);
    assertThat(batch.counts().failed()).isEqualTo(10);
    assertThat(simulations).filteredOn(s -> "beta".equals(s.plannedModel())).hasSize(10)
        .allSatisfy(s -> assertThat(s.error()).startsWith("model beta: ").contains("401"));
    assertThat(simulations).filteredOn(s -> "alpha".equals(s.plannedModel())).hasSize(10)
        .allSatisfy(s -> assertThat(s.turns()).hasSize(4));
    // Beta was asked once (the upload), then never again; alpha ran its two rounds.
    assertThat(betaServer.requests()).hasSize(1);
    assertThat(alphaServer.batchSubmissions()).isEqualTo(2);
  }

  @Test
  void aRegistryModelThatRunsNoBatchJobsIsRefusedAtCreationNamingIt() {
    answerWith(ScriptedTurns::answer);
    ModelRegistry registry = ModelRegistry.builder()
        .model("alpha", model(alphaServer, "model-a"))
        .model("offline", SimulatedLlm.create())
        .build();
    try (Cohort cohort = Cohort.builder().models(registry).repository(InMemoryRepository.create())
        .batchJobPollInterval(Duration.ofMillis(5)).build()) {
      cohort.saveEntities(people());
      BatchRequest request = crossed().toBuilder().models("alpha", "offline").execution(Execution.BATCH_API).build();

      assertThatThrownBy(() -> cohort.createBatch(request))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("models")
          .hasMessageContaining("'offline'")
          .hasMessageContaining("runs no provider batch jobs")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'alpha'"));
      // Alpha alone runs: the instance's own first model (also alpha) is not what decides.
      Batch alone = cohort.run(crossed().toBuilder().models("alpha").execution(Execution.BATCH_API).build());
      assertThat(alone.status()).isEqualTo(BatchStatus.COMPLETED);
    }
    assertThat(alphaServer.batchSubmissions()).isEqualTo(2);
  }

  @Test
  void registryModelsThatRunJobsServeABatchApiBatchEvenWhenTheInstancesOwnModelRunsNone() {
    answerWith(ScriptedTurns::answer);
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).models(registry()).repository(store)
        .batchJobPollInterval(Duration.ofMillis(5)).build()) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(crossed().toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(store.findProviderJobs(batch.id())).extracting(ProviderJob::model)
          .containsOnly("alpha", "beta");
      // But a batch that names no model runs on the instance's own, which has no batch API.
      assertThatThrownBy(() -> cohort.createBatch(crossed().toBuilder().models(List.of())
          .execution(Execution.BATCH_API).build()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("execution");
    }
    assertThat(alphaServer.batchSubmissions()).isEqualTo(2);
    assertThat(betaServer.batchSubmissions()).isEqualTo(2);
  }

  private void answerWith(Function<Recorded, Reply> script) {
    // Each provider names its own model in its answers, as a real one does.
    alphaServer.otherwise(r -> script.apply(r).withModel(r.json().path("model").asText()));
    betaServer.otherwise(r -> script.apply(r).withModel(r.json().path("model").asText()));
  }

  private List<Simulation> run(BatchRequest request, InMemoryRepository store) {
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(request);
      assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchStatus.COMPLETED);
      List<Simulation> all = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), all::add);
      all.sort(Comparator.comparingInt(Simulation::sequenceNumber));
      return all;
    }
  }

  private Cohort cohort(InMemoryRepository store) {
    return Cohort.builder().models(registry()).repository(store).maxInFlight(8)
        .batchJobPollInterval(Duration.ofMillis(5)).build();
  }

  private ModelRegistry registry() {
    return ModelRegistry.builder()
        .model("alpha", model(alphaServer, "model-a"), RateLimit.NONE, ALPHA_PRICE)
        .model("beta", model(betaServer, "model-b"), RateLimit.NONE, BETA_PRICE)
        .build();
  }

  private static OpenAiChatModel model(FakeOpenAiServer server, String model) {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333").model(model).build();
  }

  private static long chatCalls(FakeOpenAiServer server) {
    return server.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).count();
  }

  private static List<String> speakers(List<Recorded> requests) {
    return requests.stream().filter(r -> r.path().endsWith("/chat/completions"))
        .map(r -> RoleplayTurns.speaker(r.json())).collect(Collectors.toList());
  }

  private static int sequence(String customId) {
    return Integer.parseInt(customId.substring(1, customId.indexOf('-')));
  }

  private static List<Entity> people() {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      people.add(Entity.of("p" + i, "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  /** 10 groups (all pairs of 5) × models alpha and beta, crossed, 2 rounds of 2 turns. */
  private static BatchRequest crossed() {
    return BatchRequest.builder()
        .name("two providers")
        .context("A short exchange about the weather.")
        .entityIds("p1", "p2", "p3", "p4", "p5")
        .interactionSize(2)
        .numSimulations(10)
        .nTurns(2)
        .simulationRounds(2)
        .seed(11L)
        .models("alpha", "beta")
        .build();
  }

  /** 10 groups (all triples of 5) on alpha, role-play, 2 rounds of 2 turns; persons 1 and 2 on beta. */
  private static BatchRequest roleplay() {
    return BatchRequest.builder()
        .name("mixed-model conversations")
        .context("A short exchange about the weather.")
        .entityIds("p1", "p2", "p3", "p4", "p5")
        .interactionSize(3)
        .numSimulations(10)
        .nTurns(2)
        .simulationRounds(2)
        .mode(SimulationMode.ROLEPLAY)
        .seed(11L)
        .models("alpha")
        .participantModels(Map.of("p1", "beta", "p2", "beta"))
        .build();
  }
}
