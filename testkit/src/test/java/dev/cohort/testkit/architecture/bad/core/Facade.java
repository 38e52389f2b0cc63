package dev.cohort.testkit.architecture.bad.core;

import dev.cohort.testkit.architecture.bad.core.batch.Shared;

/** Fixture: uses {@link Shared}, which uses this class back (a root-package cycle). */
public final class Facade {
  private Facade() {}

  /** Builds a shared value. */
  public static Shared shared() {
    return new Shared();
  }
}
