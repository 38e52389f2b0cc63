package dev.cohort.core.batch;

import java.util.Locale;

/**
 * Where a batch stands. The values and their meaning are the original system's, plus
 * {@code CANCELLED}.
 */
public enum BatchStatus {
  /** Created; no simulation has started. */
  PENDING,
  /** Simulations are running or waiting to run. */
  IN_PROGRESS,
  /** Every simulation completed. */
  COMPLETED,
  /** Some simulations completed and others failed. */
  PARTIAL,
  /** No simulation completed, or an error stopped the whole batch (see {@link Batch#error()}). */
  FAILED,
  /** Stopped by the user; it can be resumed. */
  CANCELLED;

  /** Whether no more work will happen unless the batch is resumed. */
  public boolean isTerminal() {
    return this != PENDING && this != IN_PROGRESS;
  }

  /** The lower-case name used in JSON, CSV, SQL and the REST API, such as {@code in_progress}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status with the given {@link #wireName() wire name}. */
  public static BatchStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /**
   * The status implied by a batch's simulation counts alone: nothing finished and nothing running
   * is {@code PENDING}; unfinished work is {@code IN_PROGRESS}; otherwise any cancelled simulation
   * makes it {@code CANCELLED}, all completed {@code COMPLETED}, none completed {@code FAILED}, and
   * a mix {@code PARTIAL}. A batch-fatal error overrides this with {@code FAILED}.
   */
  public static BatchStatus aggregate(BatchCounts counts) {
    if (counts.unfinished() > 0) {
      return counts.running() == 0 && counts.finished() == 0 ? PENDING : IN_PROGRESS;
    }
    if (counts.cancelled() > 0) {
      return CANCELLED;
    }
    if (counts.failed() == 0) {
      return COMPLETED;
    }
    return counts.completed() == 0 ? FAILED : PARTIAL;
  }
}
