package dev.cohort.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the repository gets its connections and gives them back. */
interface ConnectionSource extends AutoCloseable {
  /** A connection in auto-commit mode, prepared for the dialect. */
  Connection borrow() throws SQLException;

  /**
   * Hands a borrowed connection back.
   *
   * @param broken whether it failed in a way that makes it unfit for reuse
   */
  void giveBack(Connection connection, boolean broken);

  /** Closes what this source opened; connections borrowed later fail. */
  @Override
  void close();
}
