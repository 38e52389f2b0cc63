package dev.cohort.reliability;

import dev.cohort.core.port.Sleeper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Sleeper} that returns at once and adds up what it was asked to wait, so retries and
 * backoff run without real waiting while a test can still see that they happened.
 */
final class NoWaitSleeper implements Sleeper {
  private final AtomicLong requestedMillis = new AtomicLong();

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a retry wait");
    }
    requestedMillis.addAndGet(duration.toMillis());
    // Let other threads run: a waiter that calls this in a loop must not starve the workers.
    Thread.yield();
  }

  /** The waits asked for, added up, in milliseconds. */
  long requestedMillis() {
    return requestedMillis.get();
  }
}
