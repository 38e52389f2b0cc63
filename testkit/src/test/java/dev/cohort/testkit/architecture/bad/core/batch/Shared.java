package dev.cohort.testkit.architecture.bad.core.batch;

import dev.cohort.testkit.architecture.bad.core.Facade;

/** Fixture: uses {@link Facade} from the root package, which uses this class. */
public final class Shared {
  /** Asks the facade for another one. */
  public Shared again() {
    return Facade.shared();
  }
}
