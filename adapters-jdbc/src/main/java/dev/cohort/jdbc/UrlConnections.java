package dev.cohort.jdbc;

import dev.cohort.core.batch.CohortException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>When the server refuses another connection because its connection limit is reached
 * (SQLSTATE {@value #TOO_MANY_CONNECTIONS}) while some of these connections are open, a borrower
 * waits up to {@link #REFUSED_WAIT} for one of them to come back instead of failing: the
 * repository then works with the connections the server grants.
 */
final class UrlConnections implements ConnectionSource {
  /** PostgreSQL's "too many connections" (for the server, a role or a database). */
  static final String TOO_MANY_CONNECTIONS = "53300";
  /** How long a borrower waits for an open connection when the server refuses a new one. */
  static final Duration REFUSED_WAIT = Duration.ofSeconds(30);

  private final String url;
  private final Properties properties;
  private final DialectSql sql;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  /** Connections opened and not yet closed, borrowed or idle. */
  private int open;
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
      Connection c;
      try {
        c = DriverManager.getConnection(url, properties);
      } catch (SQLException e) {
        if (!TOO_MANY_CONNECTIONS.equals(e.getSQLState())) {
          throw e;
        }
        return awaitIdle(e);
      }
      try {
        sql.prepare(c);
      } catch (SQLException | RuntimeException e) {
        DataSourceConnections.closeQuietly(c);
        throw e;
      }
      synchronized (this) {
        open++;
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

  /**
   * The server refused a new connection: waits for one of ours to come back, or fails with the
   * server's refusal when none is open or none comes back in time.
   */
  private synchronized Connection awaitIdle(SQLException refused) throws SQLException {
    long deadline = System.nanoTime() + REFUSED_WAIT.toNanos();
    while (idle.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (closed || open == 0 || left <= 0) {
        throw refused;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CohortException("interrupted while waiting for a database connection", e);
      }
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
        } else {
          open--;
        }
        notifyAll();
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
      open -= idle.size();
      idle.clear();
      notifyAll();
    }
    toClose.forEach(DataSourceConnections::closeQuietly);
  }
}
