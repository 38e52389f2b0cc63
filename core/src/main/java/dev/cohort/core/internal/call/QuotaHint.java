package dev.cohort.core.internal.call;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the provider said about one of its quotas (requests or tokens) in its {@code x-ratelimit-*}
 * headers, turned into a temporary brake: once the remaining quota falls below {@link
 * #LOW_WATER_FRACTION} of the limit, what remains is spread evenly over the time left until the
 * provider's window resets, so callers slow down before the provider answers 429. The brake lifts
 * at the reset or when a later answer shows plenty left. Not thread-safe; its owner locks.
 */
final class QuotaHint {
  /** Below this share of the limit left, callers slow down. */
  static final double LOW_WATER_FRACTION = 0.1;

  /** How much of the spread-out quota may go at once: what 100 ms of it earns. */
  private static final double BURST_SECONDS = 0.1;

  private @Nullable TokenBucket bucket;
  private long expiresAt;

  /**
   * Takes in one answer's headers. Null values (not reported) leave the current brake as it is.
   *
   * @param minimumBurst the least the brake lets through at once (one request, one token)
   */
  void update(
      @Nullable Long limit,
      @Nullable Long remaining,
      @Nullable Duration reset,
      double minimumBurst,
      long now) {
    if (limit == null || remaining == null || reset == null || limit <= 0) {
      return;
    }
    if (remaining >= limit * LOW_WATER_FRACTION) {
      bucket = null;
      return;
    }
    long resetNanos = Math.max(reset.toNanos(), 1_000_000L);
    double perSecond = Math.max(remaining, 0) / (resetNanos / 1e9);
    double burst = Math.max(minimumBurst, perSecond * BURST_SECONDS);
    TokenBucket current = bucket;
    if (current != null && active(now)) {
      // Keep what the brake holds: answers of calls already in flight arrive one after another,
      // and starting each over with a full bucket would let a call through per answer.
      current.retune(perSecond, burst, now);
    } else {
      bucket = new TokenBucket(perSecond, burst, Math.min(burst, Math.max(remaining, 0)), now);
    }
    expiresAt = now + resetNanos;
  }

  /** Nanoseconds until {@code amount} may go: 0 when now, never past the provider's reset. */
  long nanosUntil(double amount, long now) {
    TokenBucket current = bucket;
    if (current == null || !active(now)) {
      return 0;
    }
    return Math.min(current.nanosUntil(amount, now), expiresAt - now);
  }

  /** Records that {@code amount} went. */
  void take(double amount, long now) {
    TokenBucket current = bucket;
    if (current != null && active(now)) {
      current.take(amount, now);
    }
  }

  private boolean active(long now) {
    return now - expiresAt < 0;
  }
}
