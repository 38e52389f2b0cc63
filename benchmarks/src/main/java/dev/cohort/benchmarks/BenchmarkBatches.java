package dev.cohort.benchmarks;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.List;

/** The entities and batch requests the runner benchmarks use. */
final class BenchmarkBatches {
  /** Participants per simulation: dyadic, the common case. */
  static final int INTERACTION_SIZE = 2;

  private BenchmarkBatches() {}

  /**
   * The smallest pool of entities whose pairs number at least {@code simulations}, so a batch of
   * that many simulations draws distinct pairs instead of enumerating a small space.
   */
  static List<Entity> poolFor(int simulations) {
    int n = INTERACTION_SIZE;
    while ((long) n * (n - 1) / 2 < simulations) {
      n++;
    }
    List<Entity> pool = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pool.add(Entity.of(String.format("p%05d", i), "Person " + i, "Participant number " + i + " of the panel."));
    }
    return pool;
  }

  /**
   * Like {@link #poolFor}, but every entity has the same name, so a model that knows nothing of the
   * prompt ({@link CannedLlm}) can still name a participant as the speaker of its turn.
   */
  static List<Entity> poolNamed(int simulations, String name) {
    List<Entity> pool = new ArrayList<>();
    for (Entity e : poolFor(simulations)) {
      pool.add(Entity.of(e.id(), name, e.description()));
    }
    return pool;
  }

  /** A batch of {@code simulations} pairs from {@code pool}, each {@code rounds} rounds of one turn. */
  static BatchRequest request(List<Entity> pool, int simulations, int rounds) {
    return BatchRequest.builder()
        .name("benchmark")
        .context("A short panel discussion about public transport in a mid-sized city.")
        .entityIds(pool.stream().map(Entity::id).toList())
        .interactionSize(INTERACTION_SIZE)
        .numSimulations(simulations)
        .nTurns(1)
        .simulationRounds(rounds)
        .seed(7L)
        .build();
  }
}
