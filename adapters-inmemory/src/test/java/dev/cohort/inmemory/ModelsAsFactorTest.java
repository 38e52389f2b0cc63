package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.spend.Estimate;
import dev.cohort.core.spend.ModelPrice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Models as a design factor with the offline model: planning, routing, breakdown, exports and estimates. */
@Timeout(120)
class ModelsAsFactorTest {
  private final AtomicInteger alphaCalls = new AtomicInteger();
  private final AtomicInteger betaCalls = new AtomicInteger();
  private final AtomicInteger gammaCalls = new AtomicInteger();

  @Test
  void aCrossedBatchRunsEachPlannedSimulationOncePerModelGroupMajor() {
    List<Simulation> simulations;
    Batch batch;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people(4));
      batch = cohort.run(request(6).toBuilder().replicates(2).models("alpha", "beta").build());
      simulations = simulations(cohort, batch);
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.plannedSimulations()).isEqualTo(24);
    assertThat(simulations).extracting(Simulation::sequenceNumber).doesNotHaveDuplicates().hasSize(24);
    for (int i = 0; i < 12; i++) {
      Simulation a = simulations.get(2 * i);
      Simulation b = simulations.get(2 * i + 1);
      assertThat(a.plannedModel()).isEqualTo("alpha");
      assertThat(b.plannedModel()).isEqualTo("beta");
      assertThat(b.entityIds()).isEqualTo(a.entityIds());
      assertThat(b.speakingOrder()).isEqualTo(a.speakingOrder());
    }
    // Each model's calls went to its own port: one per simulation (one round each).
    assertThat(alphaCalls.get()).isEqualTo(12);
    assertThat(betaCalls.get()).isEqualTo(12);
  }

  @Test
  void aBalancedBatchGivesEveryModelTheSameNumberOfSimulationsDrawnFromTheSeed() {
    List<String> first;
    List<String> second;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people(6));
      BatchRequest request = request(12).toBuilder().models("alpha", "beta", "gamma")
          .modelAssignment(ModelAssignment.BALANCED).build();
      first = simulations(cohort, cohort.run(request)).stream().map(Simulation::plannedModel)
          .collect(Collectors.toList());
      second = simulations(cohort, cohort.run(request)).stream().map(Simulation::plannedModel)
          .collect(Collectors.toList());
    }

    assertThat(first).hasSize(12);
    Map<String, Long> counts = first.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(counts).containsOnly(Map.entry("alpha", 4L), Map.entry("beta", 4L), Map.entry("gamma", 4L));
    assertThat(second).as("the same seed assigns the same models").isEqualTo(first);
    assertThat(alphaCalls.get()).isEqualTo(8);
    assertThat(betaCalls.get()).isEqualTo(8);
    assertThat(gammaCalls.get()).isEqualTo(8);
  }

  @Test
  void theBreakdownAndTheExportsNameEachSimulationsModel() throws Exception {
    Batch batch;
    List<ModelBreakdown> byModel;
    String json;
    String csv;
    String participants;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people(4));
      batch = cohort.run(request(6).toBuilder().models("beta", "alpha").build());
      byModel = cohort.modelBreakdown(batch.id());
      json = export(cohort, batch, ExportFormat.JSONL);
      csv = export(cohort, batch, ExportFormat.CSV);
      participants = export(cohort, batch, ExportFormat.PARTICIPANTS_CSV);
    }

    assertThat(byModel).extracting(ModelBreakdown::model).containsExactly("beta", "alpha");
    assertThat(byModel).allSatisfy(row -> {
      assertThat(row.counts().completed()).isEqualTo(6);
      assertThat(row.usage().calls()).isEqualTo(6);
    });
    TokenUsage sum = byModel.get(0).usage().plus(byModel.get(1).usage());
    assertThat(sum).isEqualTo(batch.usage());
    ObjectMapper mapper = new ObjectMapper();
    List<String> models = new ArrayList<>();
    for (String line : json.lines().collect(Collectors.toList())) {
      JsonNode node = mapper.readTree(line);
      models.add(node.path("model").asText());
      assertThat(node.path("metadata").path("model").asText()).isEqualTo(SimulatedLlm.MODEL_NAME);
    }
    assertThat(models).containsExactly("beta", "alpha", "beta", "alpha", "beta", "alpha", "beta", "alpha", "beta",
        "alpha", "beta", "alpha");
    assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",Model");
    assertThat(csv.lines().skip(1).filter(line -> line.endsWith(",alpha")).count()).isEqualTo(6);
    assertThat(participants.lines().findFirst().orElseThrow()).endsWith(",model");
    assertThat(participants.lines().skip(1).filter(line -> line.endsWith(",beta")).count()).isEqualTo(12);
  }

  @Test
  void theEstimateAddsUpEveryModelAtItsOwnPrice() {
    Estimate alphaOnly;
    Estimate crossed;
    Estimate balanced;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people(4));
      alphaOnly = cohort.estimate(request(6).toBuilder().models("alpha").build());
      crossed = cohort.estimate(request(6).toBuilder().models("alpha", "beta").build());
      balanced = cohort.estimate(request(6).toBuilder().models("alpha", "beta")
          .modelAssignment(ModelAssignment.BALANCED).build());
    }

    // beta costs ten times alpha per token: crossed is 1 + 10 times alpha's, balanced half that.
    assertThat(alphaOnly.costUsd()).isNotNull();
    double alpha = alphaOnly.costUsd().expected();
    assertThat(alpha).isPositive();
    assertThat(crossed.simulations()).isEqualTo(12);
    assertThat(crossed.calls().expected()).isEqualTo(2 * alphaOnly.calls().expected());
    assertThat(crossed.costUsd().expected()).isCloseTo(11 * alpha, within(1e-9));
    assertThat(balanced.simulations()).isEqualTo(6);
    // Each model's share of the counts is rounded to a whole number: within one of alpha's alone.
    assertThat(balanced.calls().expected()).isBetween(alphaOnly.calls().expected() - 1,
        alphaOnly.calls().expected() + 1);
    assertThat(balanced.costUsd().expected()).isCloseTo(5.5 * alpha, within(1e-9));
    assertThat(crossed.assumptions()).anyMatch(line -> line.contains("once on each of the 2 models"));
  }

  @Test
  void aRoleplayParticipantWithAModelOfItsOwnSpeaksThroughIt() {
    List<Simulation> simulations;
    try (Cohort cohort = cohort()) {
      cohort.saveEntities(people(4));
      Batch batch = cohort.run(request(6).toBuilder().mode(SimulationMode.ROLEPLAY).nTurns(2)
          .models("alpha").participantModels(Map.of("e1", "beta")).build());
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      simulations = simulations(cohort, batch);
    }

    long e1Turns = simulations.stream().flatMap(s -> s.turns().stream()).map(Turn::speakerId)
        .filter("e1"::equals).count();
    long allTurns = simulations.stream().mapToLong(s -> s.turns().size()).sum();
    assertThat(e1Turns).isPositive();
    assertThat(betaCalls.get()).isEqualTo(e1Turns);
    assertThat(alphaCalls.get()).isEqualTo(allTurns - e1Turns);
  }

  private Cohort cohort() {
    ModelRegistry registry = ModelRegistry.builder()
        .model("alpha", counted(alphaCalls, "alpha-1"), RateLimit.NONE, ModelPrice.of(1, 0.5, 2))
        .model("beta", counted(betaCalls, "beta-1"), RateLimit.NONE, ModelPrice.of(10, 5, 20))
        .model("gamma", counted(gammaCalls, "gamma-1"))
        .build();
    return Cohort.builder().models(registry).repository(InMemoryRepository.create()).sleeper(d -> { })
        .pollInterval(Duration.ofMillis(20)).build();
  }

  /** The offline model, counting its calls and naming itself {@code name} for prices. */
  private static LlmPort counted(AtomicInteger calls, String name) {
    SimulatedLlm simulated = SimulatedLlm.create();
    return new LlmPort() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        return simulated.chat(request);
      }

      @Override
      public java.util.Optional<String> modelName() {
        return java.util.Optional.of(name);
      }
    };
  }

  private static List<Entity> people(int n) {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      people.add(new Entity("e" + i, "Person " + i, "Persona number " + i, new HashMap<>()));
    }
    return people;
  }

  private static BatchRequest request(int simulations) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= (simulations > 6 ? 6 : 4); i++) {
      ids.add("e" + i);
    }
    return BatchRequest.builder().name("models").context("A village meeting about the new bicycle bridge.")
        .entityIds(ids).interactionSize(2).numSimulations(simulations).nTurns(2).seed(5L).build();
  }

  private static List<Simulation> simulations(Cohort cohort, Batch batch) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), all::add);
    all.sort(Comparator.comparingInt(Simulation::sequenceNumber));
    return all;
  }

  private static String export(Cohort cohort, Batch batch, ExportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cohort.export(batch.id(), format, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
