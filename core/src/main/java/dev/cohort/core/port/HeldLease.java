package dev.cohort.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease that is still live: who holds a running simulation and until when, unless renewed. Read
 * by {@link WorkQueue#findLiveLeases} to tell a user whom a resumed batch waits for.
 *
 * @param simulationId the simulation held
 * @param owner the worker's id
 * @param expiresAt when the lease runs out by the store's clock, unless its holder renews it
 */
public record HeldLease(String simulationId, String owner, Instant expiresAt) {
  public HeldLease {
    Objects.requireNonNull(simulationId, "simulationId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
