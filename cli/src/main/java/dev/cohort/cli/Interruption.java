package dev.cohort.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT) or SIGTERM into a request the command's own thread handles. The JVM runs
 * shutdown hooks on those signals and exits once they return, so the hook only raises the request
 * and then waits for the command to cancel its batch, print its summary and close the store: the
 * work is done in one place, in order, and the process still exits with the signal's status (130
 * for SIGINT). Closing this object before the JVM shuts down removes the hook.
 */
final class Interruption implements AutoCloseable {
  /** How long the hook waits for the command to clean up before the JVM exits regardless. */
  static final Duration CLEANUP_GRACE = Duration.ofSeconds(60);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private final Thread hook;

  private Interruption() {
    this.hook = new Thread(this::onShutdown, "cohort-interrupt");
  }

  /** Installs the shutdown hook; close the result when the command is done. */
  static Interruption install() {
    Interruption interruption = new Interruption();
    Runtime.getRuntime().addShutdownHook(interruption.hook);
    return interruption;
  }

  /** Whether the process was asked to stop. */
  boolean requested() {
    return requested.getCount() == 0;
  }

  /**
   * Waits up to {@code timeout} for a stop request.
   *
   * @return whether one came
   */
  boolean awaitRequest(Duration timeout) throws InterruptedException {
    return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The command cleaned up: lets a pending shutdown proceed, or removes the hook when none is. */
  @Override
  public void close() {
    cleanedUp.countDown();
    if (!requested()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM began shutting down meanwhile; the hook sees cleanedUp and returns at once.
      }
    }
  }

  private void onShutdown() {
    requested.countDown();
    try {
      cleanedUp.await(CLEANUP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
