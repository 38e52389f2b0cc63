package dev.cohort.core.port;

import java.util.Objects;

/**
 * A worker's right to run one simulation, handed out by {@link WorkQueue#claim}. Every write
 * a worker makes names its lease; the repository accepts it only while the simulation is still
 * held by this owner at this version, so a worker whose lease expired and was taken over can
 * change nothing.
 *
 * @param simulationId the simulation held
 * @param owner the worker's id
 * @param version the simulation's version when it was claimed
 */
public record Lease(String simulationId, String owner, long version) {
  public Lease {
    Objects.requireNonNull(simulationId, "simulationId");
    Objects.requireNonNull(owner, "owner");
  }
}
