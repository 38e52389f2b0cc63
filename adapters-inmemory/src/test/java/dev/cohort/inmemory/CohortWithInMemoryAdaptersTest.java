package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.inmemory.SimulatedLlm.FailureKind;
import dev.cohort.testkit.Entities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated model and the in-memory store driven by the real engine and runner. */
class CohortWithInMemoryAdaptersTest {
  private static final String CONTEXT = "A panel discussion about potential solutions to climate change.";

  @Test
  void runsABatchToCompletionWithPlausibleDistinctTurns() {
    try (Cohort cohort = cohort(SimulatedLlm.builder().seed(1).build(), 4)) {
      cohort.saveEntities(Entities.sample());

      Batch batch = cohort.run(request(10, 3, 2));

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(10);
      List<Simulation> simulations = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), simulations::add);
      assertThat(simulations).hasSize(10);
      for (Simulation simulation : simulations) {
        assertThat(simulation.status()).isEqualTo(SimulationStatus.COMPLETED);
        assertThat(simulation.turns()).hasSize(6);
        assertThat(simulation.model()).isEqualTo(SimulatedLlm.MODEL_NAME);
        assertThat(simulation.turns()).extracting(Turn::speakerId).allMatch(simulation.entityIds()::contains);
        assertThat(simulation.turns()).extracting(Turn::text).doesNotHaveDuplicates()
            .allMatch(text -> text.contains("climate change") || text.contains("potential solutions")
                || text.contains("panel discussion"));
        assertThat(simulation.content()).isNotBlank();
      }
    }
  }

  @Test
  void completesDespiteInjectedTransientAndMalformedAnswers() {
    SimulatedLlm llm = SimulatedLlm.builder().seed(2)
        .failureRate(0.15, FailureKind.RETRYABLE)
        .failureRate(0.05, FailureKind.RATE_LIMIT)
        .failureRate(0.05, FailureKind.MALFORMED)
        .retryAfter(Duration.ofMillis(1))
        .build();
    // One call at a time: the model draws its failures by call order, so every run is this same
    // run. With calls at once, timing decides which simulation gets which draw and could give one
    // of them six failing draws, all its call attempts.
    try (Cohort cohort = cohort(llm, 1)) {
      cohort.saveEntities(Entities.sample());

      Batch batch = cohort.run(request(10, 2, 2));

      assertThat(batch.status()).as(() -> "failures: " + failures(cohort, batch)).isEqualTo(BatchStatus.COMPLETED);
      assertThat(llm.calls()).isGreaterThan(20);
    }
  }

  @Test
  void aBatchFatalFailureFailsTheBatchWithItsReason() {
    SimulatedLlm llm = SimulatedLlm.builder().failureRate(1.0, FailureKind.BATCH_FATAL).build();
    try (Cohort cohort = cohort(llm, 4)) {
      cohort.saveEntities(Entities.sample());

      Batch batch = cohort.run(request(4, 2, 1));

      assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(batch.error()).contains("invalid API key");
    }
  }

  /** The errors of the batch's failed simulations, so that a failure of this test says what failed. */
  private static List<String> failures(Cohort cohort, Batch batch) {
    List<String> errors = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), s -> {
      if (s.status() == SimulationStatus.FAILED) {
        errors.add(s.sequenceNumber() + ": " + s.error());
      }
    });
    return errors;
  }

  private static Cohort cohort(SimulatedLlm llm, int maxInFlight) {
    return Cohort.builder()
        .llm(llm)
        .repository(InMemoryRepository.create())
        .maxInFlight(maxInFlight)
        .maxReasks(3)
        .sleeper(duration -> { })
        .build();
  }

  private static BatchRequest request(int simulations, int turns, int rounds) {
    return BatchRequest.builder()
        .name("Climate panel")
        .context(CONTEXT)
        .entityIds(Entities.sample().stream().map(Entity::id).toList())
        .interactionSize(3)
        .numSimulations(simulations)
        .nTurns(turns)
        .simulationRounds(rounds)
        .seed(5L)
        .build();
  }
}
