package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.spend.Estimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Cohort.estimate} and {@code Cohort.runPilot}: the spend estimate before and during a run. */
@Timeout(120)
class CohortEstimateTest {
  /** A model that must never be called, priced as gpt-4o-mini by its default name. */
  private static final LlmPort NEVER_CALLED = new LlmPort() {
    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new AssertionError("an estimate must not call the model");
    }

    @Override
    public Optional<String> modelName() {
      return Optional.of("gpt-4o-mini");
    }
  };

  private final List<Cohort> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Cohort::close);
  }

  private Cohort cohort(LlmPort llm, int transcriptWindow) {
    Cohort cohort = Cohort.builder().llm(llm).repository(InMemoryRepository.create()).maxInFlight(2)
        .transcriptWindow(transcriptWindow).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    List<Entity> entities = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      entities.add(new Entity("e" + i, "Person " + i, "A resident with views of their own, number " + i,
          Map.of("age", 30 + i)));
    }
    cohort.saveEntities(entities);
    return cohort;
  }

  private static BatchRequest request(int k, int n, int turns, int rounds) {
    return BatchRequest.builder().name("estimate").context("A town hall meeting about a new tram line")
        .entityIds("e1", "e2", "e3", "e4", "e5", "e6").interactionSize(k).numSimulations(n).nTurns(turns)
        .simulationRounds(rounds).seed(7L).build();
  }

  @Test
  void anEstimateCallsNoModelCreatesNoBatchAndPricesTheModelsDefault() {
    Cohort cohort = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW);

    Estimate estimate = cohort.estimate(request(2, 10, 2, 3));

    assertThat(estimate.simulations()).isEqualTo(10);
    assertThat(estimate.model()).isEqualTo("gpt-4o-mini");
    assertThat(estimate.calls().low()).isEqualTo(30);
    assertThat(estimate.calls().expected()).isBetween(30L, 45L);
    assertThat(estimate.promptTokens().low()).isPositive();
    assertThat(estimate.costUsd()).isNotNull();
    assertThat(estimate.costUsd().low()).isPositive().isLessThan(estimate.costUsd().high());
    assertThat(estimate.assumptions()).anySatisfy(a -> assertThat(a).contains("characters / 4"))
        .anySatisfy(a -> assertThat(a).contains("Priced as gpt-4o-mini"));
    assertThat(cohort.listBatches(false)).isEmpty();
  }

  @Test
  void laterRoundsResendTheEarlierTranscriptSoPromptsGrowFasterThanTheRounds() {
    Cohort cohort = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW);

    long one = cohort.estimate(request(3, 5, 3, 1)).promptTokens().expected();
    long four = cohort.estimate(request(3, 5, 3, 4)).promptTokens().expected();
    long completionOne = cohort.estimate(request(3, 5, 3, 1)).completionTokens().expected();
    long completionFour = cohort.estimate(request(3, 5, 3, 4)).completionTokens().expected();

    assertThat(four).isGreaterThan(4 * one);
    // Each round writes the same number of turns: completions grow with the rounds, no faster.
    assertThat((double) completionFour / completionOne).isBetween(3.9, 4.1);
  }

  @Test
  void aSmallTranscriptWindowBoundsWhatLaterRoundsResend() {
    long wide = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW).estimate(request(2, 5, 4, 4))
        .promptTokens().expected();
    long narrow = cohort(NEVER_CALLED, 300).estimate(request(2, 5, 4, 4)).promptTokens().expected();

    assertThat(narrow).isLessThan(wide);
  }

  @Test
  void theRequestsModelIsPricedBeforeTheAdaptersDefaultAndAnUnpricedModelHasNoCost() {
    Cohort cohort = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW);

    Estimate priced = cohort.estimate(request(2, 5, 2, 1).toBuilder().llm(new LlmOptions("gpt-4o", null, null)).build());
    Estimate unknown = cohort.estimate(request(2, 5, 2, 1).toBuilder()
        .llm(new LlmOptions("my-local-llama", null, null)).build());

    assertThat(priced.model()).isEqualTo("gpt-4o");
    assertThat(priced.costUsd()).isNotNull();
    assertThat(unknown.costUsd()).isNull();
    assertThat(unknown.assumptions()).anySatisfy(a -> assertThat(a).contains("no price for my-local-llama"));
  }

  @Test
  void anUnknownEntityIsRefusedByName() {
    Cohort cohort = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW);

    assertThatThrownBy(() -> cohort.estimate(request(2, 5, 2, 1).toBuilder().entityIds("e1", "nobody").build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("nobody");
  }

  @Test
  void aPilotRunsOnlyTheFirstSimulationsCalibratesTheEstimateAndResumeRunsTheRest() {
    Cohort cohort = cohort(SimulatedLlm.create(), Cohort.DEFAULT_TRANSCRIPT_WINDOW);
    Batch batch = cohort.createDetachedBatch(request(2, 8, 2, 2));

    Batch afterPilot = cohort.runPilot(batch.id(), 3);

    List<Simulation> finished = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), s -> {
      if (s.status() == SimulationStatus.COMPLETED) {
        finished.add(s);
      }
    });
    assertThat(finished).extracting(Simulation::sequenceNumber).containsExactly(1, 2, 3);
    assertThat(afterPilot.status()).isEqualTo(BatchStatus.IN_PROGRESS);
    assertThat(afterPilot.counts().pending()).isEqualTo(5);

    Estimate rest = cohort.estimate(afterPilot.request(), finished);
    assertThat(rest.simulations()).isEqualTo(5);
    assertThat(rest.calls().low()).isEqualTo(10);
    assertThat(rest.assumptions()).anySatisfy(a -> assertThat(a).startsWith("Calibrated from 3 pilot simulations"));

    cohort.resume(batch.id());
    Batch done = cohort.await(batch.id());
    assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(done.counts().completed()).isEqualTo(8);
  }

  @Test
  void aPilotNeedsAtLeastOneSimulation() {
    Cohort cohort = cohort(SimulatedLlm.create(), Cohort.DEFAULT_TRANSCRIPT_WINDOW);
    Batch batch = cohort.createDetachedBatch(request(2, 4, 1, 1));

    assertThatThrownBy(() -> cohort.runPilot(batch.id(), 0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("pilot");
  }

  @Test
  void aRoleplayEstimateMakesOneCallPerTurnAndShowsEachSpeakerWhatTheVisibilityAllows() {
    Cohort cohort = cohort(NEVER_CALLED, Cohort.DEFAULT_TRANSCRIPT_WINDOW);

    Estimate scripted = cohort.estimate(request(3, 10, 2, 3));
    Estimate names = cohort.estimate(request(3, 10, 2, 3).toBuilder().mode(SimulationMode.ROLEPLAY)
        .visibility(Visibility.NAMES).build());
    Estimate full = cohort.estimate(request(3, 10, 2, 3).toBuilder().mode(SimulationMode.ROLEPLAY)
        .visibility(Visibility.FULL).build());

    assertThat(scripted.calls().low()).as("one call per round").isEqualTo(10 * 3);
    assertThat(names.calls().low()).as("one call per turn").isEqualTo(10 * 3 * 2);
    assertThat(names.promptTokens().expected()).as("each turn re-sends the transcript and the speaker's view")
        .isGreaterThan(scripted.promptTokens().expected());
    assertThat(full.promptTokens().expected()).as("the others' descriptions and attributes too")
        .isGreaterThan(names.promptTokens().expected());
    assertThat(names.assumptions()).anySatisfy(a -> assertThat(a).contains("in role-play one call per turn"))
        .anySatisfy(a -> assertThat(a).contains("visibility 'names'"));
  }

  @Test
  void aRoleplayPilotCalibratesTheRestPerTurn() {
    Cohort cohort = cohort(SimulatedLlm.create(), Cohort.DEFAULT_TRANSCRIPT_WINDOW);
    BatchRequest roleplay = request(3, 10, 2, 2).toBuilder().mode(SimulationMode.ROLEPLAY).build();
    Batch batch = cohort.createDetachedBatch(roleplay);

    cohort.runPilot(batch.id(), 3);
    List<Simulation> pilot = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), s -> {
      if (s.status() == SimulationStatus.COMPLETED) {
        pilot.add(s);
      }
    });
    Estimate rest = cohort.estimate(batch.request(), pilot);
    Batch done = cohort.resume(batch.id());
    done = cohort.await(done.id());

    assertThat(pilot).hasSize(3);
    assertThat(rest.simulations()).isEqualTo(7);
    assertThat(rest.assumptions()).anySatisfy(a -> assertThat(a).startsWith("Calibrated from 3 pilot simulations")
        .contains(" turns, so "));
    long real = done.usage().totalTokens()
        - pilot.stream().mapToLong(s -> s.usage().totalTokens()).sum();
    assertThat(real).as("the rest's real tokens").isBetween(rest.totalTokens().low(), rest.totalTokens().high());
    assertThat((double) rest.totalTokens().expected()).isCloseTo(real, withinPercentage(15));
  }
}
