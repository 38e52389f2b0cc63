package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Declared outcomes of a batch on several models are extracted by each simulation's own model, over
 * real loopback HTTP: two fake servers, one per registry name, each answering the extraction call
 * with its own verdict, and each priced at its own model's price.
 */
class OutcomesOnEachModelTest {
  /** Batch discounts (half, 60 % off) apply only to calls made through provider jobs. */
  private static final ModelPrice ALPHA_PRICE = new ModelPrice(1.0, 0.5, 2.0, 0.5);
  private static final ModelPrice BETA_PRICE = new ModelPrice(10.0, 5.0, 40.0, 0.4);

  private FakeOpenAiServer alphaServer;
  private FakeOpenAiServer betaServer;

  @BeforeEach
  void startServers() throws IOException {
    alphaServer = FakeOpenAiServer.start();
    betaServer = FakeOpenAiServer.start();
    alphaServer.otherwise(request -> answer(request, "model-a", true));
    betaServer.otherwise(request -> answer(request, "model-b", false));
  }

  @AfterEach
  void stopServers() {
    alphaServer.close();
    betaServer.close();
  }

  /** An extraction call gets the server's verdict (200 prompt, 20 completion tokens); a dialogue call turns. */
  private static Reply answer(Recorded request, String model, boolean agreed) {
    if (isExtraction(request)) {
      return Reply.completion("{\"agreed\": " + agreed + "}", "stop", 200, 20, 0).withModel(model);
    }
    return BatchesAgainstFakeOpenAiTest.answer(request).withModel(model);
  }

  private static boolean isExtraction(Recorded request) {
    return request.json().path("messages").path(0).path("content").asText()
        .startsWith("You are a careful research assistant");
  }

  @Test
  void eachSimulationsOutcomesAreExtractedByItsOwnModelAtItsOwnPrice() {
    List<Simulation> simulations = new ArrayList<>();
    Batch batch;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people());
      batch = cohort.run(request().build());
      cohort.forEachSimulation(batch.id(), simulations::add);
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(simulations).hasSize(12);
    // Each server answered its six dialogues and its six extractions, nothing of the other's.
    assertThat(alphaServer.requests()).hasSize(12).filteredOn(OutcomesOnEachModelTest::isExtraction).hasSize(6);
    assertThat(betaServer.requests()).hasSize(12).filteredOn(OutcomesOnEachModelTest::isExtraction).hasSize(6);
    for (Simulation s : simulations) {
      boolean alpha = "alpha".equals(s.plannedModel());
      assertThat(s.outcomes()).as("simulation %d on %s", s.sequenceNumber(), s.plannedModel())
          .containsEntry("agreed", alpha);
      assertThat(s.outcomeExtraction()).isNotNull();
      assertThat(s.outcomeExtraction().model()).isEqualTo(alpha ? "model-a" : "model-b");
      // Dialogue (400 prompt, 60 completion) and extraction (200, 20), both at the model's own price.
      ModelPrice price = alpha ? ALPHA_PRICE : BETA_PRICE;
      double expected = (600 * price.inputPerMillion() + 80 * price.outputPerMillion()) / 1_000_000;
      assertThat(s.costUsd()).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void anOutcomeModelNamingARegistryEntryExtractsEverySimulation() {
    List<Simulation> simulations = new ArrayList<>();
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(request().outcomeModel("beta").build());
      cohort.forEachSimulation(batch.id(), simulations::add);
    }

    assertThat(alphaServer.requests()).hasSize(6).noneMatch(OutcomesOnEachModelTest::isExtraction);
    assertThat(betaServer.requests()).hasSize(18).filteredOn(OutcomesOnEachModelTest::isExtraction).hasSize(12);
    assertThat(simulations).hasSize(12).allSatisfy(s -> {
      assertThat(s.outcomes()).containsEntry("agreed", false);
      assertThat(s.outcomeExtraction().model()).isEqualTo("model-b");
    });
  }

  @Test
  void withBatchApiAnOutcomeModelNamingARegistryEntryExtractsInThatEntrysJobsAsADirectRunDoes() {
    List<Simulation> direct = run(request().outcomeModel("beta").build());
    List<Simulation> viaJobs = run(request().outcomeModel("beta").execution(Execution.BATCH_API).build());

    // Alpha's one job holds its six dialogues; beta's first its six, its second all twelve extractions.
    assertThat(alphaServer.batchJobRequestBodies()).hasSize(1)
        .allSatisfy(job -> assertThat(job).hasSize(6).noneMatch(OutcomesOnEachModelTest::isExtractionBody));
    assertThat(betaServer.batchJobRequestBodies()).hasSize(2);
    assertThat(betaServer.batchJobRequestBodies().get(0)).hasSize(6)
        .noneMatch(OutcomesOnEachModelTest::isExtractionBody);
    assertThat(betaServer.batchJobRequestBodies().get(1)).hasSize(12)
        .allMatch(OutcomesOnEachModelTest::isExtractionBody);
    assertThat(viaJobs).hasSize(12);
    for (int i = 0; i < 12; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.outcomes()).as("simulation %d", j.sequenceNumber()).isEqualTo(d.outcomes())
          .containsEntry("agreed", false);
      assertThat(j.outcomeExtraction().model()).isEqualTo(d.outcomeExtraction().model()).isEqualTo("model-b");
      assertThat(j.usage()).isEqualTo(d.usage());
      // The dialogue (400 prompt, 60 completion tokens) at its model's batch price, the extraction
      // (200, 20) at beta's.
      ModelPrice dialogue = "alpha".equals(j.plannedModel()) ? ALPHA_PRICE : BETA_PRICE;
      double expected = (400 * dialogue.inputPerMillion() + 60 * dialogue.outputPerMillion()) / 1_000_000
          * dialogue.batchDiscount()
          + (200 * BETA_PRICE.inputPerMillion() + 20 * BETA_PRICE.outputPerMillion()) / 1_000_000
          * BETA_PRICE.batchDiscount();
      assertThat(j.costUsd()).isCloseTo(expected, within(1e-12));
    }
  }

  private List<Simulation> run(BatchRequest request) {
    List<Simulation> simulations = new ArrayList<>();
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(request);
      assertThat(batch.status()).as(String.valueOf(batch.error())).isEqualTo(BatchStatus.COMPLETED);
      cohort.forEachSimulation(batch.id(), simulations::add);
    }
    simulations.sort(Comparator.comparingInt(Simulation::sequenceNumber));
    return simulations;
  }

  private static boolean isExtractionBody(JsonNode body) {
    return body.path("messages").path(0).path("content").asText().startsWith("You are a careful research assistant");
  }

  private Cohort cohort() {
    ModelRegistry registry = ModelRegistry.builder()
        .model("alpha", OpenAiChatModel.builder().baseUrl(alphaServer.baseUrl()).apiKey("sk-alpha-0000111122223333")
            .model("model-a").build(), RateLimit.NONE, ALPHA_PRICE)
        .model("beta", OpenAiChatModel.builder().baseUrl(betaServer.baseUrl()).apiKey("sk-beta-0000111122223333")
            .model("model-b").build(), RateLimit.NONE, BETA_PRICE)
        .build();
    return Cohort.builder().models(registry).repository(InMemoryRepository.create()).maxInFlight(4)
        .batchJobPollInterval(Duration.ofMillis(5)).build();
  }

  private static List<Entity> people() {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      people.add(Entity.of("p" + i, "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  /** The six pairs of four people × alpha and beta, crossed, one outcome. */
  private static BatchRequest.Builder request() {
    return BatchRequest.builder()
        .name("outcomes on two models")
        .context("A short exchange about the weather.")
        .entityIds("p1", "p2", "p3", "p4")
        .interactionSize(2)
        .numSimulations(6)
        .nTurns(2)
        .seed(5L)
        .models("alpha", "beta")
        .outcomes(List.of(DeclaredOutcome.bool("agreed", "Did they agree?")));
  }
}
