package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Batches planted straight into a store, for tests that drive the runner without the facade. */
public final class Fixtures {
  /** The name every fixture entity has, so one scripted answer fits every simulation. */
  public static final String SPEAKER = "Ada";

  private Fixtures() {}

  /** The fixture entities {@code e1}…{@code eN}, all named {@link #SPEAKER}. */
  public static List<Entity> entities(int n) {
    List<Entity> entities = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      entities.add(Entity.of("e" + i, SPEAKER, null));
    }
    return entities;
  }

  /**
   * Stores a pending batch of {@code n} solo simulations of one turn and one round, one per entity.
   *
   * @return the batch's id
   */
  public static String plantBatch(MemoryStore store, Clock clock, String batchId, int n) {
    return plantBatch(store, clock, batchId, n, b -> b);
  }

  /** As {@link #plantBatch(MemoryStore, Clock, String, int)}, with {@code settings} applied to the request. */
  public static String plantBatch(MemoryStore store, Clock clock, String batchId, int n,
      java.util.function.UnaryOperator<BatchRequest.Builder> settings) {
    List<Entity> entities = entities(n);
    store.saveEntities(entities);
    BatchRequest request = settings.apply(BatchRequest.builder().name(batchId).context("A quiet library")
        .entityIds(entities.stream().map(Entity::id).toList()).interactionSize(1).numSimulations(n).nTurns(1)
        .seed(1L)).build();
    List<Simulation> simulations = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> ids = List.of(entities.get(i).id());
      simulations.add(new Simulation(batchId + "-s" + (i + 1), batchId, i + 1, ids, ids, SimulationStatus.PENDING,
          List.of(), null, 0, TokenUsage.ZERO, null, request.finalTurnNumber(), clock.instant(), null, null));
    }
    store.createBatch(new Batch(batchId, BatchStatus.PENDING, request, n, n, entities, clock.instant(), null, null,
        null, BatchCounts.EMPTY, TokenUsage.ZERO, List.of()), simulations.iterator());
    return batchId;
  }
}
