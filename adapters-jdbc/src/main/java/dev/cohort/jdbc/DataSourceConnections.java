package dev.cohort.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connections from the caller's {@link DataSource}, which owns pooling: each borrowed connection is
 * closed when it is given back, as a pool expects.
 */
final class DataSourceConnections implements ConnectionSource {
  private final DataSource dataSource;
  private final DialectSql sql;

  DataSourceConnections(DataSource dataSource, DialectSql sql) {
    this.dataSource = dataSource;
    this.sql = sql;
  }

  @Override
  public Connection borrow() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      // A pooled connection may have been opened by someone else: set what every statement relies on.
      sql.prepare(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  @Override
  public void giveBack(Connection connection, boolean broken) {
    closeQuietly(connection);
  }

  @Override
  public void close() {
    // The caller owns the DataSource.
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing more can be done with a connection that fails to close.
    }
  }
}
