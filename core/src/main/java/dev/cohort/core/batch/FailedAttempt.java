package dev.cohort.core.batch;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One earlier run of a simulation that failed, kept when the simulation was retried ({@code
 * retry-failed}): which attempt it was, why it failed and when.
 *
 * @param attempt the simulation's {@code attempts} count when it failed (how many times it had
 *     been claimed), 1 or more
 * @param error why it failed
 * @param finishedAt when it failed, or null when the store did not know
 */
public record FailedAttempt(int attempt, String error, @Nullable Instant finishedAt) {
  public FailedAttempt {
    Objects.requireNonNull(error, "error");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
    }
  }
}
