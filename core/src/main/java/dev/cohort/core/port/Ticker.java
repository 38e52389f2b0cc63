package dev.cohort.core.port;

/**
 * A monotonic nanosecond time source for measuring how long something took or waiting until a
 * deadline (like {@link System#nanoTime()}, whose only caller in Cohort's core is {@link #SYSTEM}).
 * Injected so that deadline, lease and rate-limit tests move time themselves instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
  /** Reads {@link System#nanoTime()}: the one place Cohort's core reads the system's nano time. */
  Ticker SYSTEM = () -> System.nanoTime();

  /** Nanoseconds since an arbitrary origin, fixed for this ticker; only differences mean anything. */
  long nanos();
}
