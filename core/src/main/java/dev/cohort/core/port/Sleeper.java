package dev.cohort.core.port;

import java.time.Duration;

/**
 * Waits for a while. Injected so that retry and backoff tests run without really sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep(long)}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;
}
