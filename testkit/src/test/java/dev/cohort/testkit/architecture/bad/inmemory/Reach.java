package dev.cohort.testkit.architecture.bad.inmemory;

import dev.cohort.testkit.architecture.bad.jdbc.JdbcStore;

/** Fixture: a driven adapter that uses another driven adapter. */
public final class Reach {
  private Reach() {}

  /** Stores through the other adapter. */
  public static String across(String text) {
    return new JdbcStore().store(text);
  }
}
