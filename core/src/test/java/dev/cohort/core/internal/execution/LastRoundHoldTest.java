package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.RoundResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LastRoundHoldTest {
  private final List<RoundResult> stored = new ArrayList<>();

  @Test
  void sendsEveryRoundButTheLastToTheStoreAndHandsTheLastOverOnce() {
    BatchRequest request = request(b -> b.simulationRounds(3));
    LastRoundHold hold = LastRoundHold.of(request, simulation(request, Map.of()), round -> stored.add(round));

    assertThat(hold).isNotNull();
    assertThat(hold.take()).as("nothing held before the last round").isNull();
    for (int r = 1; r <= 3; r++) {
      assertThat(hold.record(round(r))).isTrue();
    }

    assertThat(stored).extracting(RoundResult::round).containsExactly(1, 2);
    assertThat(hold.take()).extracting(RoundResult::round).isEqualTo(3);
    assertThat(hold.take()).as("handed over once").isNull();
  }

  @Test
  void aRoundTheStoreRefusesIsRefused() {
    BatchRequest request = request(b -> b.simulationRounds(2));
    LastRoundHold hold = LastRoundHold.of(request, simulation(request, Map.of()), round -> false);

    assertThat(hold).isNotNull();
    assertThat(hold.record(round(1))).isFalse();
  }

  @Test
  void holdsNothingWhenSomethingComesBetweenTheLastRoundAndTheFinish() {
    BatchRequest roleplay = request(b -> b.mode(SimulationMode.ROLEPLAY));
    BatchRequest reruns = request(b -> b.rerunFlagged(List.of(QualityFlag.REPETITION)));
    BatchRequest outcomes = request(b -> b.outcomes(List.of(DeclaredOutcome.bool("agreed", "Did they agree?"))));

    assertThat(LastRoundHold.of(roleplay, simulation(roleplay, Map.of()), stored::add)).isNull();
    assertThat(LastRoundHold.of(reruns, simulation(reruns, Map.of()), stored::add)).isNull();
    assertThat(LastRoundHold.of(outcomes, simulation(outcomes, Map.of()), stored::add)).isNull();
    Simulation extracted = simulation(outcomes, Map.<String, @Nullable Object>of("agreed", true));
    assertThat(LastRoundHold.of(outcomes, extracted, stored::add))
        .as("its outcomes extracted already: nothing left to extract").isNotNull();
  }

  private static BatchRequest request(UnaryOperator<BatchRequest.Builder> settings) {
    List<Entity> entities = Fixtures.entities(2);
    return settings.apply(BatchRequest.builder().name("b").context("A quiet library")
        .entityIds(entities.stream().map(Entity::id).toList()).interactionSize(2).numSimulations(1).nTurns(1)
        .seed(1L)).build();
  }

  private static Simulation simulation(BatchRequest request, Map<String, @Nullable Object> outcomes) {
    List<String> ids = request.entityIds();
    Simulation s = new Simulation("s1", "b", 1, ids, ids, SimulationStatus.RUNNING, List.of(), null, 1,
        TokenUsage.ZERO, null, request.finalTurnNumber(), Instant.EPOCH, null, null);
    return outcomes.isEmpty() ? s : s.withOutcomes(outcomes, null, null);
  }

  private static RoundResult round(int round) {
    return new RoundResult(round, List.of(new Turn(round, round, "e1", "Ada", null, "turn " + round)),
        new TokenUsage(10, 5, 0), "m", 0.0, null);
  }
}
