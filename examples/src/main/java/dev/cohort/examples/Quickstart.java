package dev.cohort.examples;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.util.List;
import java.util.Map;

/**
 * The original system's documented example, in memory with the offline model: 4 entities, a panel
 * discussion about climate change, groups of 2, 3 simulations of 2 turns in 1 round. Prints the
 * batch's status and each simulation's participants and transcript.
 */
public final class Quickstart {
  private Quickstart() {}

  /** Runs the example batch. */
  public static void main(String[] args) {
    try (Cohort cohort = Cohort.builder()
        .llm(SimulatedLlm.create())
        .repository(InMemoryRepository.create())
        .build()) {
      System.out.println("Model: " + cohort.describeModel());
      cohort.saveEntities(List.of(
          new Entity("entity-id-1", "Maya Chen", "Climate scientist who studies Arctic ice",
              Map.of("age", 41, "occupation", "climate scientist")),
          new Entity("entity-id-2", "Tom Becker", "Engineer at a coal-fired power plant",
              Map.of("age", 55, "occupation", "plant engineer")),
          new Entity("entity-id-3", "Amara Okafor", "Policy adviser on energy transition",
              Map.of("age", 36, "occupation", "policy adviser")),
          new Entity("entity-id-4", "Luis Ortega", "Farmer facing longer droughts",
              Map.of("age", 47, "occupation", "farmer"))));

      Batch batch = cohort.run(BatchRequest.builder()
          .name("Climate Change Discussion")
          .description("Simulating how different entities discuss climate change solutions")
          .context("A panel discussion about potential solutions to climate change")
          .entityIds("entity-id-1", "entity-id-2", "entity-id-3", "entity-id-4")
          .interactionSize(2)
          .numSimulations(3)
          .nTurns(2)
          .simulationRounds(1)
          .metadata(Map.of("category", "climate", "tags", List.of("environment", "discussion")))
          .build());

      System.out.println("Batch simulation ID: " + batch.id());
      System.out.println("Status: " + batch.status().wireName() + " (" + batch.counts().completed() + " of "
          + batch.counts().total() + " simulations completed, seed " + batch.seed() + ")");
      cohort.forEachSimulation(batch.id(), simulation -> {
        System.out.println();
        System.out.println("--- Simulation " + simulation.sequenceNumber() + " (" + simulation.interactionType().wireName()
            + "): " + String.join(", ", simulation.entityIds()) + " [" + simulation.status().wireName() + "]");
        System.out.println(simulation.content());
      });
    }
  }
}
