package dev.cohort.core.internal.call;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When to try a failed call again: exponential backoff {@code min(0.5·2^n, 8)} s scaled by a
 * random factor in [0.75, 1], or the provider's retry-after hint when it gave one (capped at
 * {@link #MAX_RETRY_AFTER}).
 */
public final class RetryPolicy {
  /** The longest retry-after hint honoured. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(120);
  private static final double BASE_SECONDS = 0.5;
  private static final double MAX_BACKOFF_SECONDS = 8;

  private final int maxAttempts;
  private final DoubleSupplier random;

  /**
   * @param maxAttempts calls per request in all, at least 1
   * @param random uniform values in [0, 1), for the jitter
   */
  public RetryPolicy(int maxAttempts, DoubleSupplier random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.random = random;
  }

  /** Calls per request in all, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * How long to wait after failed attempt {@code attempt} (0-based).
   *
   * @param retryAfter the provider's hint, or null
   */
  public Duration delay(int attempt, @Nullable Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    double backoff = Math.min(BASE_SECONDS * Math.pow(2, Math.min(attempt, 30)), MAX_BACKOFF_SECONDS);
    double jitter = 0.75 + 0.25 * random.getAsDouble();
    return Duration.ofNanos((long) (backoff * jitter * 1e9));
  }
}
