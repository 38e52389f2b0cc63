package dev.cohort.core.port;

import dev.cohort.core.batch.Simulation;
import java.util.Objects;

/**
 * A simulation a worker now holds, with the turns of the rounds already recorded, so a resumed
 * simulation continues after its last finished round.
 *
 * @param simulation the simulation as stored, status {@code RUNNING}
 * @param lease the lease to present with every write
 */
public record ClaimedSimulation(Simulation simulation, Lease lease) {
  public ClaimedSimulation {
    Objects.requireNonNull(simulation, "simulation");
    Objects.requireNonNull(lease, "lease");
  }

  /** The number of the last round already recorded, 0 when none is. */
  public int lastRecordedRound() {
    return simulation.turns().stream().mapToInt(t -> t.round()).max().orElse(0);
  }
}
