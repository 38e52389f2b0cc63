package dev.cohort.core.internal.call;

import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A nanosecond clock that only moves when its sleeper sleeps, so tests never really wait. */
final class FakeTime implements Ticker, Sleeper {
  /** An arbitrary start, far from zero, as {@link System#nanoTime()} readings are. */
  static final long START = 7_000_000_000_000L;

  private final AtomicLong now = new AtomicLong(START);
  private volatile Runnable onSleep = () -> {};

  @Override
  public long nanos() {
    return now.get();
  }

  @Override
  public void sleep(Duration duration) {
    now.addAndGet(duration.toNanos());
    onSleep.run();
  }

  /** Moves the clock forward without anyone sleeping. */
  void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  /** Time since the start. */
  Duration elapsed() {
    return Duration.ofNanos(now.get() - START);
  }

  /** Runs {@code action} after every sleep, as if another thread acted meanwhile. */
  void onSleep(Runnable action) {
    onSleep = action;
  }
}
