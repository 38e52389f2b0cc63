package dev.cohort.testkit.architecture.bad.jdbc;

import dev.cohort.testkit.architecture.bad.core.internal.codec.Codec;

/** Fixture: an adapter class that uses the fake core's internal codec. */
public final class JdbcStore {
  /** Stores a text, encoded. */
  public String store(String text) {
    return Codec.encode(text);
  }
}
