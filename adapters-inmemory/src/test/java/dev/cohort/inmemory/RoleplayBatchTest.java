package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Role-play batches end to end with the offline model: the same shape of result as scripted mode. */
@Timeout(120)
class RoleplayBatchTest {
  private static List<Entity> people(int n) {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      people.add(new Entity("e" + i, "Person " + i, "Persona number " + i, Map.of("occupation", "job " + i)));
    }
    return people;
  }

  private static BatchRequest request(SimulationMode mode) {
    return BatchRequest.builder().name("bridge").context("A village meeting about the new bicycle bridge.")
        .entityIds("e1", "e2", "e3", "e4", "e5").interactionSize(4).numSimulations(3).nTurns(2)
        .simulationRounds(3).seed(9L).mode(mode).visibility(Visibility.NAMES).build();
  }

  private static Cohort cohort(LlmPort llm) {
    return Cohort.builder().llm(llm).repository(InMemoryRepository.create()).sleeper(d -> {})
        .pollInterval(Duration.ofMillis(20)).build();
  }

  @Test
  void aRoleplayBatchMakesOneCallPerTurnAndLooksLikeAScriptedOne() {
    AtomicInteger calls = new AtomicInteger();
    SimulatedLlm simulated = SimulatedLlm.create();
    LlmPort counting = new LlmPort() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        return simulated.chat(request);
      }
    };
    List<Simulation> roleplay = new ArrayList<>();
    List<Simulation> scripted = new ArrayList<>();
    Batch played;
    try (Cohort cohort = cohort(counting)) {
      cohort.saveEntities(people(5));
      played = cohort.run(request(SimulationMode.ROLEPLAY));
      cohort.forEachSimulation(played.id(), roleplay::add);
      assertThat(calls.get()).isEqualTo(3 * 6);
      Batch script = cohort.run(request(SimulationMode.SCRIPTED));
      cohort.forEachSimulation(script.id(), scripted::add);
      assertThat(calls.get()).isEqualTo(3 * 6 + 3 * 3);
    }

    assertThat(played.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(played.request().mode()).isEqualTo(SimulationMode.ROLEPLAY);
    assertThat(roleplay).hasSize(3);
    for (int i = 0; i < roleplay.size(); i++) {
      Simulation sim = roleplay.get(i);
      assertThat(sim.turns()).extracting(Turn::turnNumber).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(sim.turns()).extracting(Turn::round).containsExactly(1, 1, 2, 2, 3, 3);
      List<String> order = sim.speakingOrder();
      assertThat(sim.turns()).extracting(Turn::speakerId).containsExactly(
          order.get(0), order.get(1), order.get(2), order.get(3), order.get(0), order.get(1));
      assertThat(sim.turns()).allSatisfy(t -> assertThat(t.thought()).isNotBlank());
      assertThat(sim.content()).isEqualTo(Transcript.render(sim.turns()));
      // The same combinations and speaking orders as the scripted batch with the same seed.
      assertThat(sim.entityIds()).isEqualTo(scripted.get(i).entityIds());
      assertThat(sim.speakingOrder()).isEqualTo(scripted.get(i).speakingOrder());
      assertThat(sim.turns()).hasSameSizeAs(scripted.get(i).turns());
    }
  }
}
