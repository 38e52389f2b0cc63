package dev.cohort.testkit;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.RepositoryPort;
import java.util.List;
import java.util.Objects;

/**
 * A batch and its simulations as {@link TestBatches} built them, ready for {@link
 * RepositoryPort#createBatch}.
 *
 * @param batch the batch, without simulations attached
 * @param simulations its simulations in sequence order, numbered from 1
 */
public record TestBatch(Batch batch, List<Simulation> simulations) {
  /** Copies {@code simulations}; {@code batch} must not be null. */
  public TestBatch {
    Objects.requireNonNull(batch, "batch");
    simulations = List.copyOf(simulations);
  }

  /** The batch's id. */
  public String id() {
    return batch.id();
  }

  /** The simulation with this 1-based sequence number. */
  public Simulation simulation(int sequenceNumber) {
    if (sequenceNumber < 1 || sequenceNumber > simulations.size()) {
      throw new IllegalArgumentException("sequenceNumber must be between 1 and " + simulations.size()
          + ", was " + sequenceNumber);
    }
    return simulations.get(sequenceNumber - 1);
  }

  /** The id of the simulation with this 1-based sequence number. */
  public String simulationId(int sequenceNumber) {
    return simulation(sequenceNumber).id();
  }

  /** Stores the batch and its simulations in {@code repository}, and returns this. */
  public TestBatch storeIn(RepositoryPort repository) {
    repository.createBatch(batch, simulations.iterator());
    return this;
  }
}
