package dev.cohort.core.internal.execution;

import java.time.Duration;

/**
 * How long a coordinator waits before it claims again after a claim found nothing: the poll
 * interval at first, doubled after each empty claim up to a ceiling, and back to the poll interval
 * as soon as a claim returns work.
 *
 * <p>Why: a worker whose batch has nothing left to claim (its peers hold the rest) used to claim
 * every poll interval until the batch ended, a few statements each time on every idle worker. Its
 * peers' simulations come back only when one gives up or dies (its lease expires), so waiting longer
 * loses little; the ceiling is kept to a third of the lease duration, so a dead peer's simulations
 * are picked up within about one lease duration and a third.
 */
final class ClaimBackoff {
  /** The longest wait between two empty claims, whatever the lease duration. */
  static final Duration MAX_IDLE_POLL = Duration.ofSeconds(2);

  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  ClaimBackoff(Duration pollInterval, Duration leaseDuration) {
    this.firstMillis = Math.max(1, pollInterval.toMillis());
    this.maxMillis = Math.max(firstMillis, Math.min(MAX_IDLE_POLL.toMillis(), leaseDuration.toMillis() / 3));
    this.nextMillis = firstMillis;
  }

  /** The wait after this empty claim; the one after the next is twice as long, up to the ceiling. */
  Duration afterEmptyClaim() {
    long wait = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(wait);
  }

  /** A claim returned work: the next empty claim waits the poll interval again. */
  void reset() {
    nextMillis = firstMillis;
  }
}
