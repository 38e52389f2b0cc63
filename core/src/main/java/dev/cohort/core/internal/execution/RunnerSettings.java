package dev.cohort.core.internal.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Runner} works.
 *
 * @param workerId this process's id in leases
 * @param maxInFlight most simulations running at once, across all batches
 * @param leaseDuration how long a claim holds without renewal; renewed every third of it
 * @param pollInterval how often to look again when other workers hold the remaining simulations
 */
public record RunnerSettings(String workerId, int maxInFlight, Duration leaseDuration, Duration pollInterval) {
  public RunnerSettings {
    Objects.requireNonNull(workerId, "workerId");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (leaseDuration.toMillis() < 3) {
      throw new IllegalArgumentException("leaseDuration must be at least 3 ms, was " + leaseDuration);
    }
  }
}
