package dev.cohort.core.architecture;

import dev.cohort.core.port.Ticker;
import java.time.Instant;

/** Breaks the time rule on purpose, so the rule's own test can show it catches each kind of read. */
final class ReadsTheSystemClock {
  private ReadsTheSystemClock() {}

  static Instant stamp() {
    return Instant.now();
  }

  static Ticker ticker() {
    return System::nanoTime;
  }
}
