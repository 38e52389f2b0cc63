package dev.cohort.core.internal.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Runner} works.
 *
 * @param workerId this process's id in leases
 * @param maxInFlight most simulations running at once, across all batches
 * @param leaseDuration how long a claim holds without renewal; renewed every third of it
 * @param pollInterval how often to look again when other workers hold the remaining simulations
 * @param modelMaxInFlight most simulations planned for a model running at once, across all
 *     batches, by model name; a model not named has no limit of its own (only {@code maxInFlight})
 */
public record RunnerSettings(String workerId, int maxInFlight, Duration leaseDuration, Duration pollInterval,
    Map<String, Integer> modelMaxInFlight) {
  public RunnerSettings {
    Objects.requireNonNull(workerId, "workerId");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (leaseDuration.toMillis() < 3) {
      throw new IllegalArgumentException("leaseDuration must be at least 3 ms, was " + leaseDuration);
    }
    modelMaxInFlight = Map.copyOf(modelMaxInFlight);
    modelMaxInFlight.forEach((model, limit) -> {
      if (limit < 1) {
        throw new IllegalArgumentException("modelMaxInFlight of model '" + model + "' must be at least 1, was "
            + limit);
      }
    });
  }

  /** Settings without any model's own in-flight limit. */
  public RunnerSettings(String workerId, int maxInFlight, Duration leaseDuration, Duration pollInterval) {
    this(workerId, maxInFlight, leaseDuration, pollInterval, Map.of());
  }
}
