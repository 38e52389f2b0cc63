package dev.cohort.core.internal.provenance;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.batch.Verification;
import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.BatchStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Recomputes a batch's digests from the store and compares them with those recorded: the seal of
 * its request and entity snapshot, and each finished simulation's turns digest.
 */
public final class BatchVerifier {
  private BatchVerifier() {}

  /** Checks {@code batch} (as just read from {@code store}) against its recorded digests. */
  public static Verification verify(Batch batch, BatchStore store) {
    Optional<BatchSeal> recorded = store.findSeal(batch.id());
    BatchSeal now = Seals.of(batch);
    @Nullable Boolean request = recorded.map(s -> s.requestSha256().equals(now.requestSha256())).orElse(null);
    @Nullable Boolean entities = recorded.map(s -> s.entitiesSha256().equals(now.entitiesSha256())).orElse(null);
    long[] checked = new long[2];
    List<Integer> changed = new ArrayList<>();
    store.forEachSimulation(batch.id(), simulation -> {
      // Only finish() records a digest: completed and failed simulations.
      if (simulation.status() != SimulationStatus.COMPLETED && simulation.status() != SimulationStatus.FAILED) {
        return;
      }
      String digest = simulation.turnsSha256();
      if (digest == null) {
        checked[1]++;
        return;
      }
      checked[0]++;
      if (!digest.equals(TurnsDigest.ofTurns(simulation.turns()))) {
        changed.add(simulation.sequenceNumber());
      }
    });
    return new Verification(batch.id(), request, entities, checked[0], checked[1], changed);
  }
}
