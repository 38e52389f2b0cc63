package dev.cohort.core.batch;

import java.util.Locale;

/** Where one simulation stands. {@code COMPLETED}, {@code FAILED} and {@code CANCELLED} are final. */
public enum SimulationStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  /** Whether the simulation still has work to do. */
  public boolean isUnfinished() {
    return this == PENDING || this == RUNNING;
  }

  /** The lower-case name used in JSON, CSV and SQL. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status with the given {@link #wireName() wire name}. */
  public static SimulationStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
