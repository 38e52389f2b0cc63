package dev.cohort.jdbc;

import dev.cohort.core.batch.CohortException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of SQL work on a borrowed connection: reads in auto-commit mode, writes in one
 * transaction each, and turns {@link SQLException}s into {@link CohortException}s that say what was
 * being done.
 *
 * <p>For SQLite every unit runs under one lock: SQLite has a single writer per file anyway, and
 * queueing in Java is cheaper and fairer than spinning on the busy timeout. Repositories built from
 * the same URL share the lock, which matters for a shared-cache in-memory database: its table
 * locks fail at once instead of waiting out the busy timeout. PostgreSQL and H2 run
 * units concurrently; a write that loses a deadlock or a serialisation conflict is retried from
 * the start, which is safe because every unit is one transaction.
 *
 * <p>SQLite's writes go through a {@link GroupCommit}: the writes that wait for the connection at
 * the same time share one transaction, each in a savepoint of its own, and each caller returns once
 * that transaction committed (or with its own write's failure). The writes are as isolated from
 * each other as before, since SQLite ran them one after the other anyway.
 */
final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** How often a write that lost a deadlock or serialisation conflict is tried in all. */
  private static final int WRITE_ATTEMPTS = 5;

  /** One unit of work on a connection. */
  @FunctionalInterface
  interface Work<T extends @Nullable Object> {
    T run(Connection c) throws SQLException;
  }

  /** What runs with one prepared statement. */
  @FunctionalInterface
  interface StatementWork<T extends @Nullable Object> {
    T run(PreparedStatement ps) throws SQLException;
  }

  private static final ConcurrentMap<String, ReentrantLock> SQLITE_LOCKS = new ConcurrentHashMap<>();

  private final ConnectionSource connections;
  private final DialectSql sql;
  private final @Nullable ReentrantLock lock;
  private final @Nullable GroupCommit groups;
  /** SQLite's kept statements, used only under {@link #lock}. */
  private final @Nullable StatementCache statements;
  private volatile boolean closed;

  /**
   * @param lockKey what identifies the database among this JVM's repositories (its URL), or null
   *     when nothing does (a caller's data source)
   */
  Database(ConnectionSource connections, DialectSql sql, @Nullable String lockKey) {
    this.connections = connections;
    this.sql = sql;
    if (!sql.serialised()) {
      this.lock = null;
    } else if (lockKey == null) {
      this.lock = new ReentrantLock(true);
    } else {
      this.lock = SQLITE_LOCKS.computeIfAbsent(lockKey, k -> new ReentrantLock(true));
    }
    this.statements = lock == null ? null : new StatementCache();
    this.groups = lock == null ? null : new GroupCommit(new GroupCommit.Transactions() {
      @Override
      public void inTransaction(GroupCommit.TransactionBody body) throws SQLException {
        transaction(body);
      }

      @Override
      public void execute(Connection c, String statement) throws SQLException {
        prepared(c, statement, PreparedStatement::execute);
      }
    });
  }

  DialectSql sql() {
    return sql;
  }

  /**
   * Runs {@code work} with a statement for {@code statement} on {@code c}, inside a unit of work.
   * On SQLite the statement is kept for the next unit that runs the same SQL (the caller must not
   * close it, and must close the result sets it opens); elsewhere it is prepared and closed here.
   */
  <T extends @Nullable Object> T prepared(Connection c, String statement, StatementWork<T> work) throws SQLException {
    if (statements == null) {
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        return work.run(ps);
      }
    }
    return work.run(statements.get(c, statement));
  }

  /** Runs {@code work} in auto-commit mode. */
  <T extends @Nullable Object> T read(String what, Work<T> work) {
    return run(what, false, work);
  }

  /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
  <T extends @Nullable Object> T write(String what, Work<T> work) {
    if (groups != null) {
      checkOpen();
      try {
        return groups.write(work);
      } catch (SQLException e) {
        throw new CohortException("could not " + what + ": " + e.getMessage(), e);
      }
    }
    return retried(what, true, work);
  }

  /**
   * Runs {@code work}, a write of one statement, in auto-commit mode: the statement is its own
   * transaction, and the commit costs no round trip of its own. Retried on a deadlock or
   * serialisation conflict as {@link #write} is; on SQLite it is a {@link #write}, so that it
   * joins the group commit.
   */
  <T extends @Nullable Object> T writeOne(String what, Work<T> work) {
    if (groups != null) {
      return write(what, work);
    }
    return retried(what, false, work);
  }

  /** Runs {@code work}, again from the start after a deadlock or serialisation conflict. */
  private <T extends @Nullable Object> T retried(String what, boolean transaction, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return run(what, transaction, work);
      } catch (CohortException e) {
        if (attempt >= WRITE_ATTEMPTS || !(e.getCause() instanceof SQLException s) || !isConflict(s)) {
          throw e;
        }
        LOG.debug("retrying '{}' after a transaction conflict (attempt {})", what, attempt, e);
      }
    }
  }

  /**
   * Runs {@code work} as a read that may hold a cursor open: PostgreSQL streams a result with a
   * fetch size only inside a transaction, so this one runs with auto-commit off.
   */
  <T extends @Nullable Object> T stream(String what, Work<T> work) {
    return run(what, sql.cursorStreaming(), work);
  }

  private <T extends @Nullable Object> T run(String what, boolean transaction, Work<T> work) {
    checkOpen();
    try {
      return locked(transaction, work);
    } catch (SQLException e) {
      throw new CohortException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** One transaction for a {@link GroupCommit}: its SQL failures reach it as they are. */
  private void transaction(GroupCommit.TransactionBody body) throws SQLException {
    checkOpen();
    locked(true, c -> {
      body.run(c);
      return null;
    });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the repository is closed");
    }
  }

  /**
   * Runs {@code work} on a borrowed connection, under the lock when there is one.
   *
   * @throws SQLException what the work or the transaction's end failed with; a connection that
   *     could not be borrowed fails with a message that says so
   */
  private <T extends @Nullable Object> T locked(boolean transaction, Work<T> work) throws SQLException {
    if (lock != null) {
      lock.lock();
    }
    try {
      Connection c;
      try {
        c = connections.borrow();
      } catch (SQLException e) {
        throw new SQLException("no database connection: " + e.getMessage(), e.getSQLState(), e);
      }
      boolean broken = false;
      try {
        if (!transaction) {
          return work.run(c);
        }
        sql.begin(c);
        T result;
        try {
          result = work.run(c);
        } catch (SQLException | RuntimeException | Error e) {
          broken = !rollBack(c, e);
          throw e;
        }
        sql.commit(c);
        return result;
      } catch (SQLException e) {
        broken = broken || isConnectionFailure(e);
        throw e;
      } finally {
        connections.giveBack(c, broken);
      }
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
  }

  /** Rolls back after {@code cause}; returns whether the connection is still usable. */
  private boolean rollBack(Connection c, Throwable cause) {
    try {
      sql.rollback(c);
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      // SQLite rolls back by itself after some errors; its only connection must stay open.
      return sql.serialised();
    }
  }

  private static boolean isConflict(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure, 40P01 deadlock (PostgreSQL; H2 reports deadlocks as 40001),
    // HYT00 H2's lock timeout.
    return "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
  }

  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08");
  }

  @Override
  public void close() {
    closed = true;
    if (lock != null) {
      lock.lock();
    }
    try {
      if (statements != null) {
        statements.clear();
      }
      connections.close();
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
  }
}
