package dev.cohort.inmemory;

import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.Lease;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One simulation as {@link InMemoryRepository} keeps it: the immutable value handed to readers,
 * plus the lease state readers never see. Guarded by the repository's lock.
 */
final class StoredSimulation {
  final StoredBatch batch;
  Simulation current;
  @Nullable String owner;
  @Nullable Instant expiresAt;
  long version;
  final Set<Integer> recordedRounds = new HashSet<>();
  /** The numbers of the turns recorded one by one (role-play) or with their rounds. */
  final Set<Integer> recordedTurns = new HashSet<>();

  StoredSimulation(StoredBatch batch, Simulation simulation) {
    this.batch = batch;
    this.current = simulation;
    for (Turn turn : simulation.turns()) {
      recordedRounds.add(turn.round());
      recordedTurns.add(turn.turnNumber());
    }
  }

  int sequence() {
    return current.sequenceNumber();
  }

  /** Whether {@code lease} is the one this simulation runs under right now. */
  boolean isHeldBy(Lease lease) {
    return current.status() == SimulationStatus.RUNNING
        && lease.owner().equals(owner)
        && lease.version() == version;
  }
}
