package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.spend.Budget;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch's budget holds: no call starts once spent plus reserved would pass it, the batch ends
 * cancelled saying so, and it goes on when resumed with a higher budget.
 */
@Timeout(120)
class BudgetTest {
  /** A tenth of a cent per token, so a call of a few hundred tokens costs tens of cents. */
  private static final PriceTable PRICES =
      PriceTable.builtIn().with(SimulatedLlm.MODEL_NAME, ModelPrice.of(1000, 1000, 1000));

  private final InMemoryRepository repository = InMemoryRepository.create();
  private final List<Cohort> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Cohort::close);
  }

  private Cohort cohort(int maxInFlight) {
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).prices(PRICES)
        .maxInFlight(maxInFlight).sleeper(d -> { }).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    List<Entity> entities = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      entities.add(new Entity("e" + i, "Person " + i, "Persona number " + i, Map.of("index", i)));
    }
    cohort.saveEntities(entities);
    return cohort;
  }

  private static BatchRequest.Builder request(String model) {
    return BatchRequest.builder().name("budget").context("A panel discussion about the price of tea")
        .entityIds("e1", "e2", "e3", "e4", "e5").interactionSize(2).numSimulations(10).nTurns(2).seed(7L)
        .llm(new LlmOptions(model, null, null));
  }

  private List<Simulation> simulations(Cohort cohort, String batchId) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(batchId, all::add);
    return all;
  }

  @Test
  void aBatchStopsAtItsMoneyBudgetCancelledAndGoesOnWhenResumedWithAHigherOne() {
    Cohort cohort = cohort(1);
    double unlimited = cohort.run(request(SimulatedLlm.MODEL_NAME).build()).costUsd();
    double cap = unlimited / 3;

    Batch capped = cohort.run(request(SimulatedLlm.MODEL_NAME).maxCostUsd(cap).build());

    assertThat(capped.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(capped.error()).startsWith("budget reached: spent $").contains("of max_cost_usd $")
        .contains("cohort batches resume " + capped.id() + " --max-cost");
    assertThat(capped.costUsd()).as("one call at a time, each reserved before it starts").isLessThanOrEqualTo(cap)
        .isPositive();
    assertThat(repository.spentOn(capped.id()).costUsd()).isLessThanOrEqualTo(cap);
    assertThat(capped.counts().completed()).isPositive().isLessThan(10);
    assertThat(capped.counts().cancelled()).isEqualTo(10 - capped.counts().completed());

    cohort.resume(capped.id(), Budget.ofUsd(unlimited * 2));
    Batch resumed = cohort.await(capped.id());

    assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(resumed.request().maxCostUsd()).isEqualTo(unlimited * 2);
    assertThat(simulations(cohort, capped.id())).allSatisfy(s -> assertThat(s.status())
        .isEqualTo(SimulationStatus.COMPLETED));
  }

  @Test
  void withSeveralCallsInFlightTheBudgetIsPassedByNoMoreThanThoseCalls() {
    Cohort cohort = cohort(1);
    Batch full = cohort.run(request(SimulatedLlm.MODEL_NAME).build());
    double perCall = full.costUsd() / full.usage().calls();
    Cohort parallel = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).prices(PRICES)
        .maxInFlight(4).sleeper(d -> { }).pollInterval(Duration.ofMillis(20)).build();
    opened.add(parallel);
    double cap = full.costUsd() / 2;

    Batch capped = parallel.run(request(SimulatedLlm.MODEL_NAME).maxCostUsd(cap).build());

    assertThat(capped.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(capped.costUsd()).isLessThanOrEqualTo(cap + 4 * perCall * 1.5);
  }

  @Test
  void aLeaseLostAtTheReservationStopsOnlyThatSimulationNotTheBatch() {
    CountingRepository counting = new CountingRepository(repository);
    AtomicBoolean lost = new AtomicBoolean();
    // The first reservation finds its lease gone, as if it had expired and been given back.
    counting.beforeReserve = lease -> {
      if (lost.compareAndSet(false, true)) {
        repository.release(lease);
      }
    };
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(counting).prices(PRICES)
        .maxInFlight(1).sleeper(d -> { }).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    cohort(1); // saves the entities into the shared repository

    Batch batch = cohort.run(request(SimulatedLlm.MODEL_NAME).maxCostUsd(1_000.0).build());

    assertThat(lost).isTrue();
    assertThat(batch.error()).as("a lost lease is not the budget").isNull();
    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(batch.counts().completed()).as("the simulation whose lease was lost ran again").isEqualTo(10);
  }

  @Test
  void aTokenBudgetHoldsWithoutAPrice() {
    Cohort cohort = cohort(1);
    Batch capped = cohort.run(request("a-model-without-a-price").maxTotalTokens(1_500L).build());

    assertThat(capped.status()).isEqualTo(BatchStatus.CANCELLED);
    assertThat(capped.usage().totalTokens()).isLessThanOrEqualTo(1_500L);
    assertThat(capped.error()).contains("of max_total_tokens 1500");
    assertThat(capped.costUsd()).as("the simulated model answers under its own name, which has a price")
        .isNotNull();
  }

  @Test
  void aMoneyBudgetForAModelWithoutAPriceIsRefusedAtCreation() {
    Cohort cohort = cohort(1);

    assertThatThrownBy(() -> cohort.createBatch(request("a-model-without-a-price").maxCostUsd(5.0).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("max_cost_usd")
        .hasMessageContaining("no price for model a-model-without-a-price");
    assertThat(cohort.listBatches(false)).isEmpty();
  }
}
