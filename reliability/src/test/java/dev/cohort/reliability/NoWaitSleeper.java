package dev.cohort.reliability;

import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Sleeper} that returns at once and adds up what it was asked to wait, so retries and
 * backoff run without real waiting while a test can still see that they happened. As a {@link
 * Ticker} it is a clock those waits move on: after a sleep of d it reads at least d later than when
 * the sleep began, so the rate limiter's pause after a 429 (which waits until its clock passes the
 * pause) ends at once too, instead of spinning for the real retry-after.
 */
final class NoWaitSleeper implements Sleeper, Ticker {
  private final AtomicLong requestedMillis = new AtomicLong();
  /** How far this clock is ahead of {@link System#nanoTime()}. */
  private final AtomicLong aheadNanos = new AtomicLong();

  @Override
  public long nanos() {
    return System.nanoTime() + aheadNanos.get();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a retry wait");
    }
    requestedMillis.addAndGet(duration.toMillis());
    long realNow = System.nanoTime();
    long wakeAt = realNow + aheadNanos.get() + duration.toNanos();
    aheadNanos.accumulateAndGet(wakeAt - realNow, Math::max);
    // Let other threads run: a waiter that calls this in a loop must not starve the workers.
    Thread.yield();
  }

  /** The waits asked for, added up, in milliseconds. */
  long requestedMillis() {
    return requestedMillis.get();
  }
}
