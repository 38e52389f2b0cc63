package dev.cohort.openai;

import static dev.cohort.openai.BatchApiFixtures.PRICES;
import static dev.cohort.openai.BatchApiFixtures.people;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.RoleplayTurns;
import dev.cohort.testkit.openai.ScriptedTurns;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Declared outcomes of an {@code execution: batch_api} batch: each simulation's extraction rides in
 * the job after its last round, with the direct mode's prompt, schema, checks and re-asks, priced at
 * the batch discount, over real loopback HTTP against the fake Files and Batch endpoints.
 */
class OutcomesBatchApiTest {
  private static final int ROUNDS = 2;
  private static final List<DeclaredOutcome> OUTCOMES = List.of(
      DeclaredOutcome.number("warmth", "How warm was the exchange, from 0 to 1?", 0.0, 1.0),
      DeclaredOutcome.bool("agreed", "Did they agree?"),
      DeclaredOutcome.integer("stance", "Each participant's final stance, 1 to 5.", 1, 5).perParticipant());

  private FakeOpenAiServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeOpenAiServer.start();
    server.otherwise(OutcomesBatchApiTest::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void outcomesThroughBatchJobsEqualTheSameBatchRunDirectlyInOneMoreJob() {
    BatchRequest request = request(30);
    List<Simulation> direct = run(request, InMemoryRepository.create());
    int directCalls = server.requests().size();

    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = run(request.toBuilder().execution(Execution.BATCH_API).build(), store);

    assertThat(directCalls).isEqualTo(30 * (ROUNDS + 1));
    assertThat(viaJobs).hasSize(30);
    for (int i = 0; i < 30; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(j.turns()).as("simulation %d", i + 1).isEqualTo(d.turns());
      assertThat(j.outcomes()).as("simulation %d", i + 1).isEqualTo(d.outcomes()).containsKeys("warmth", "agreed",
          "stance");
      assertThat(j.outcomes().get("stance")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .hasSize(2);
      assertThat(j.outcomeError()).isNull();
      assertThat(j.outcomeExtraction()).isEqualTo(d.outcomeExtraction());
      // Dialogue and extraction calls alike: the same tokens, at half the price.
      assertThat(j.usage()).isEqualTo(d.usage());
      assertThat(j.usage().calls()).isEqualTo(ROUNDS + 1);
      assertThat(j.costUsd()).isCloseTo(d.costUsd() / 2, within(1e-12));
    }
    List<ProviderJob> jobs = store.findProviderJobs(viaJobs.get(0).batchId());
    assertThat(jobs).hasSize(ROUNDS + 1);
    assertThat(server.batchSubmissions()).isEqualTo(ROUNDS + 1);
    assertThat(jobs.get(ROUNDS).customIds()).hasSize(30).allMatch(id -> id.matches("s\\d+-o-q0-a1"));
    // The extraction requests carry the batch's model in their bodies, as the rounds' do: one model a job.
    assertThat(requestsInJobs()).hasSize(30 * (ROUNDS + 1)).extracting(body -> body.path("model").asText())
        .containsOnly("gpt-4o-mini");
    assertThat(extractionRequestsInJobs()).hasSize(30);
  }

  @Test
  void roleplayOutcomesThroughBatchJobsEqualTheSameBatchRunDirectlyInOneMoreJobThanTurns() {
    server.otherwise(r -> isExtraction(r) ? answer(r) : RoleplayTurns.answer(r));
    BatchRequest request = request(6).toBuilder().mode(SimulationMode.ROLEPLAY).build();
    List<Simulation> direct = run(request, InMemoryRepository.create());
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = run(request.toBuilder().execution(Execution.BATCH_API).build(), store);

    for (int i = 0; i < 6; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.turns()).hasSize(2 * ROUNDS).isEqualTo(d.turns());
      assertThat(j.outcomes()).containsKeys("warmth", "agreed", "stance").isEqualTo(d.outcomes());
      assertThat(j.usage()).isEqualTo(d.usage());
    }
    // One job per turn number, then the extraction job.
    assertThat(store.findProviderJobs(viaJobs.get(0).batchId())).hasSize(2 * ROUNDS + 1);
  }

  @Test
  void extractionsThatNeverFitAreRecordedAsInDirectModeAndTheSimulationsComplete() {
    server.otherwise(r -> isExtraction(r) ? Reply.completion("{\"warmth\": 7}", "stop", 300, 10, 0)
        : ScriptedTurns.answer(r));
    BatchRequest request = request(6);
    List<Simulation> direct = run(request, InMemoryRepository.create());
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = run(request.toBuilder().execution(Execution.BATCH_API).build(), store);

    for (int i = 0; i < 6; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(j.turns()).hasSize(2 * ROUNDS).isEqualTo(d.turns());
      assertThat(j.outcomes()).isEmpty();
      assertThat(j.outcomeError()).startsWith("the model's answer could not be used after 3 attempts:")
          .contains("\"warmth\" must be from 0.0 to 1.0").isEqualTo(d.outcomeError());
      assertThat(j.usage()).isEqualTo(d.usage());
      assertThat(j.usage().calls()).isEqualTo(ROUNDS + 1 + Cohort.DEFAULT_MAX_REASKS);
    }
    // Each re-ask rides in the next job.
    assertThat(store.findProviderJobs(viaJobs.get(0).batchId())).hasSize(ROUNDS + 1 + Cohort.DEFAULT_MAX_REASKS);
  }

  @Test
  void anExtractionAnswerThatDoesNotFitIsAskedAgainInTheNextJob() {
    // The fake answers a job's lines in input order, which is sequence order: the second is simulation 2's.
    AtomicInteger firstAsks = new AtomicInteger();
    server.otherwise(r -> isExtraction(r) && r.json().path("messages").size() == 2 && firstAsks.incrementAndGet() == 2
        ? Reply.completion("They mostly agreed.", "stop", 300, 10, 0) : answer(r));
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> simulations = run(request(4).toBuilder().execution(Execution.BATCH_API).build(), store);

    List<ProviderJob> jobs = store.findProviderJobs(simulations.get(0).batchId());
    assertThat(jobs).hasSize(ROUNDS + 2);
    assertThat(jobs.get(ROUNDS + 1).customIds()).containsExactly("s2-o-q1-a1");
    Simulation two = simulations.get(1);
    assertThat(two.outcomes()).containsKeys("warmth", "agreed", "stance");
    assertThat(two.outcomeError()).isNull();
    assertThat(two.usage().calls()).isEqualTo(ROUNDS + 2);
    // The re-ask quotes the unusable answer and says what was wrong with it.
    JsonNode reask = extractionRequestsInJobs().stream().filter(b -> b.path("messages").size() == 4)
        .collect(onlyOne());
    assertThat(reask.path("messages").path(2).path("content").asText()).isEqualTo("They mostly agreed.");
    assertThat(reask.path("messages").path(3).path("content").asText()).startsWith("That answer cannot be used:");
    assertThat(simulations).allSatisfy(s -> assertThat(s.outcomes()).containsKeys("warmth", "agreed", "stance"));
  }

  @Test
  void anExtractionRequestInTheErrorFileIsTriedAgainInTheNextJob() {
    server.failBatchRequests(id -> id.equals("s3-o-q0-a1"));
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> simulations = run(request(4).toBuilder().execution(Execution.BATCH_API).build(), store);

    List<ProviderJob> jobs = store.findProviderJobs(simulations.get(0).batchId());
    assertThat(jobs).hasSize(ROUNDS + 2);
    assertThat(jobs.get(ROUNDS + 1).customIds()).containsExactly("s3-o-q0-a2");
    assertThat(simulations).allSatisfy(s -> {
      assertThat(s.outcomes()).containsKeys("warmth", "agreed", "stance");
      // A request the provider failed used no tokens.
      assertThat(s.usage().calls()).isEqualTo(ROUNDS + 1);
    });
  }

  @Test
  void anExtractionTheProviderFailsEveryTimeIsRecordedAndTheSimulationStillCompletes() {
    server.failBatchRequests(id -> id.startsWith("s3-o-"));
    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> simulations;
    try (Cohort cohort = Cohort.builder().llm(model()).repository(store).prices(PRICES).maxCallAttempts(2)
        .batchJobPollInterval(Duration.ofMillis(5)).build()) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(4).toBuilder().execution(Execution.BATCH_API).build());
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(4);
      simulations = simulations(cohort, batch);
    }
    Simulation three = simulations.get(2);
    assertThat(three.status()).isEqualTo(SimulationStatus.COMPLETED);
    assertThat(three.turns()).hasSize(2 * ROUNDS);
    assertThat(three.outcomes()).isEmpty();
    assertThat(three.outcomeError()).startsWith(
        "the extraction call failed: the provider's batch job failed the request 2 times; last: ");
    assertThat(store.findProviderJobs(three.batchId()).get(ROUNDS + 1).customIds()).containsExactly("s3-o-q0-a2");
  }

  @Test
  void anExtractionJobStoredButNotAppliedIsPolledAfterARestartNotSubmittedAgain() {
    server.holdBatchJobsWith(id -> id.contains("-o-"));
    InMemoryRepository store = InMemoryRepository.create();
    String batchId;
    try (Cohort first = cohort(store)) {
      first.saveEntities(people(10));
      batchId = first.createBatch(request(5).toBuilder().execution(Execution.BATCH_API).build()).id();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.providerJobs(batchId).stream()
          .anyMatch(j -> j.state() == BatchJobState.IN_PROGRESS && j.customIds().get(0).contains("-o-")));
    }
    assertThat(server.batchSubmissions()).isEqualTo(ROUNDS + 1);
    assertThat(store.findProviderJobs(batchId).get(ROUNDS).applied()).isFalse();

    server.holdBatchJobsWith(id -> false);
    try (Cohort second = cohort(store)) {
      second.resume(batchId);
      Batch done = second.await(batchId);
      assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(simulations(second, done)).hasSize(5).allSatisfy(s -> {
        assertThat(s.outcomes()).containsKeys("warmth", "agreed", "stance");
        assertThat(s.usage().calls()).isEqualTo(ROUNDS + 1);
      });
    }
    assertThat(server.batchSubmissions()).isEqualTo(ROUNDS + 1);
    assertThat(store.findProviderJobs(batchId)).hasSize(ROUNDS + 1).allMatch(ProviderJob::applied);
  }

  @Test
  void aReExtractionOfABatchApiBatchRunsThroughOneMoreJob() {
    server.otherwise(r -> isExtraction(r) && r.json().path("messages").path(0).path("content").asText()
        .contains("\"tone\"") ? Reply.completion("{\"tone\": \"calm\"}", "stop", 300, 5, 0) : answer(r));
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request(3).toBuilder().execution(Execution.BATCH_API).build());
      assertThat(store.findProviderJobs(batch.id())).hasSize(ROUNDS + 1);

      cohort.extractOutcomes(batch.id(), List.of(DeclaredOutcome.oneOf("tone", "The tone?", "calm", "heated")));
      Batch again = cohort.await(batch.id());

      assertThat(again.status()).isEqualTo(BatchStatus.COMPLETED);
      List<ProviderJob> jobs = store.findProviderJobs(batch.id());
      assertThat(jobs).hasSize(ROUNDS + 2);
      assertThat(jobs.get(ROUNDS + 1).customIds()).containsExactly("s1-o-q0-a1", "s2-o-q0-a1", "s3-o-q0-a1");
      assertThat(simulations(cohort, again)).allSatisfy(s -> {
        assertThat(s.outcomes()).containsEntry("tone", "calm").containsKeys("warmth", "agreed", "stance");
        assertThat(s.usage().calls()).isEqualTo(ROUNDS + 2);
      });
    }
  }

  @Test
  void anOutcomeModelThatIsAnotherProviderModelIdIsRefusedWithBatchApiAndTheBatchsOwnIsAccepted() {
    BatchRequest.Builder builder = request(4).toBuilder().execution(Execution.BATCH_API)
        .llm(new LlmOptions("gpt-4o-mini-2024-07-18", null, null));
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people(10));
      // Without a registry, another model id would share the batch's jobs, which hold one model's requests.
      assertThatThrownBy(() -> cohort.createBatch(builder.outcomeModel("gpt-4o").build()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("outcome_model")
          .hasMessageContaining("batch_api")
          .hasMessageContaining("no model registry");
      assertThat(cohort.createBatch(builder.outcomeModel("gpt-4o-mini-2024-07-18").build()).request().outcomeModel())
          .isEqualTo("gpt-4o-mini-2024-07-18");
      // Direct execution may extract with any model.
      assertThat(cohort.createBatch(builder.execution(Execution.DIRECT).outcomeModel("gpt-4o").build())
          .request().outcomeModel()).isEqualTo("gpt-4o");
    }
  }

  /**
   * A dialogue call gets scripted turns; an extraction call values made from its seed (300 prompt,
   * 20 completion tokens), so a direct call and a job's line get the same answer.
   */
  private static Reply answer(Recorded request) {
    if (!isExtraction(request)) {
      return ScriptedTurns.answer(request);
    }
    long seed = request.json().path("seed").asLong();
    ObjectNode values = FakeOpenAiServer.JSON.createObjectNode();
    values.put("warmth", Math.floorMod(seed, 101) / 100.0);
    values.put("agreed", Math.floorMod(seed, 2) == 0);
    ObjectNode stance = values.putObject("stance");
    int n = 0;
    for (String name : participants(request)) {
      stance.put(name, (int) Math.floorMod(seed + n++, 5L) + 1);
    }
    return Reply.completion(values.toString(), "stop", 300, 20, 0);
  }

  private static boolean isExtraction(Recorded request) {
    return request.json().path("messages").path(0).path("content").asText()
        .startsWith("You are a careful research assistant");
  }

  /** The participants' labels, as the extraction prompt lists them ("- Name: description"). */
  private static List<String> participants(Recorded request) {
    String user = request.json().path("messages").path(1).path("content").asText();
    String listed = user.substring("Participants:\n".length(), user.indexOf("\n\nTranscript:"));
    List<String> names = new ArrayList<>();
    for (String line : listed.split("\n")) {
      String label = line.substring(2);
      int colon = label.indexOf(": ");
      names.add(colon < 0 ? label : label.substring(0, colon));
    }
    return names;
  }

  /** The bodies of the extraction requests the jobs' input files held. */
  private List<JsonNode> extractionRequestsInJobs() {
    return requestsInJobs().stream()
        .filter(body -> body.path("messages").path(0).path("content").asText().startsWith("You are a careful research"))
        .collect(Collectors.toList());
  }

  /** The bodies of every request the jobs' input files held. */
  private List<JsonNode> requestsInJobs() {
    List<JsonNode> bodies = new ArrayList<>();
    for (Recorded r : server.requests()) {
      if (!r.path().equals("/v1/files") || !r.method().equals("POST")) {
        continue;
      }
      for (String line : r.body().split("\n")) {
        if (line.contains("\"custom_id\"")) {
          try {
            bodies.add(FakeOpenAiServer.JSON.readTree(line).path("body"));
          } catch (IOException e) {
            // A multipart boundary or header line, not a request line.
          }
        }
      }
    }
    return bodies;
  }

  private static <T> java.util.stream.Collector<T, ?, T> onlyOne() {
    return Collectors.collectingAndThen(Collectors.toList(), list -> {
      assertThat(list).hasSize(1);
      return list.get(0);
    });
  }

  private List<Simulation> run(BatchRequest request, InMemoryRepository store) {
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(10));
      Batch batch = cohort.run(request);
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      return simulations(cohort, batch);
    }
  }

  private static List<Simulation> simulations(Cohort cohort, Batch batch) {
    List<Simulation> simulations = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), simulations::add);
    return simulations;
  }

  private OpenAiChatModel model() {
    return BatchApiFixtures.model(server);
  }

  private Cohort cohort(InMemoryRepository store) {
    return BatchApiFixtures.cohort(server, store, 8);
  }

  private static BatchRequest request(int simulations) {
    return BatchRequest.builder()
        .name("outcomes through batch jobs")
        .context("A short exchange about the weather.")
        .entityIds(people(10).stream().map(Entity::id).collect(Collectors.toList()))
        .interactionSize(2)
        .numSimulations(simulations)
        .nTurns(2)
        .simulationRounds(ROUNDS)
        .seed(11L)
        .outcomes(OUTCOMES)
        .build();
  }
}
