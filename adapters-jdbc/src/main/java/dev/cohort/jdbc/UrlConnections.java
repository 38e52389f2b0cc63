package dev.cohort.jdbc;

import dev.cohort.core.CohortException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * Connections opened from a JDBC URL and kept for reuse, at most {@code maxConnections} at a time.
 * Opening a PostgreSQL connection costs a process start on the server, far more than the statements
 * a claim or a heartbeat runs, so the connections are kept rather than opened per operation. This
 * is deliberately not a general pool: no validation queries, no eviction, no metrics; a caller who
 * needs those passes a pooled {@code DataSource} instead.
 *
 * <p>For SQLite the limit is one: the single connection is also what keeps an in-memory database
 * alive while the repository is open.
 */
final class UrlConnections implements ConnectionSource {
  private final String url;
  private final Properties properties;
  private final DialectSql sql;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  UrlConnections(String url, Properties properties, DialectSql sql, int maxConnections) {
    this.url = url;
    this.properties = properties;
    this.sql = sql;
    this.permits = new Semaphore(maxConnections, true);
  }

  @Override
  public Connection borrow() throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CohortException("interrupted while waiting for a database connection", e);
    }
    try {
      Connection reused = takeIdle();
      if (reused != null) {
        return reused;
      }
      Connection c = DriverManager.getConnection(url, properties);
      try {
        sql.prepare(c);
      } catch (SQLException | RuntimeException e) {
        DataSourceConnections.closeQuietly(c);
        throw e;
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private synchronized @Nullable Connection takeIdle() {
    if (closed) {
      throw new IllegalStateException("the repository is closed");
    }
    return idle.pollFirst();
  }

  @Override
  public void giveBack(Connection connection, boolean broken) {
    try {
      boolean keep;
      synchronized (this) {
        keep = !closed && !broken;
        if (keep) {
          idle.addFirst(connection);
        }
      }
      if (!keep) {
        DataSourceConnections.closeQuietly(connection);
      }
    } finally {
      permits.release();
    }
  }

  @Override
  public void close() {
    Deque<Connection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(DataSourceConnections::closeQuietly);
  }
}
