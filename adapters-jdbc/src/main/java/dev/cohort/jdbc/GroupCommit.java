package dev.cohort.jdbc;

import dev.cohort.core.batch.CohortException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Commits the writes that arrive together in one transaction, each inside a savepoint of its own,
 * and tells each caller, after the commit, what its own write returned or why it failed.
 *
 * <p>SQLite has one writer; a transaction per write pays the write lock, the WAL frames of every
 * page touched and a hand-over between threads each time. Here the writes that queue together
 * ({@link WriteCoalescer}: the first caller to find no group running leads one, with no thread of
 * its own) run on the connection in one transaction, are committed, and their callers are woken.
 *
 * <p>A write that fails (an SQL error, a lease it no longer holds is not a failure but its own
 * {@code false}) is rolled back to its savepoint and fails only its own caller. Should the rollback
 * to the savepoint fail too, the database may have rolled the whole transaction back: the group's
 * transaction is then abandoned and every write of it not yet failed is run again in a transaction
 * of its own, so a caller is told its write held only when that write was committed.
 */
final class GroupCommit {
  /** The serialised connection's transactions and statements. */
  interface Transactions {
    /**
     * Runs {@code body} in one transaction on the serialised connection, committed when it
     * returns normally and rolled back when it throws.
     */
    void inTransaction(TransactionBody body) throws SQLException;

    /** Runs one statement without parameters on {@code c}, inside a transaction. */
    void execute(Connection c, String statement) throws SQLException;
  }

  /** What runs inside one transaction. */
  @FunctionalInterface
  interface TransactionBody {
    void run(Connection c) throws SQLException;
  }

  /** A queued write and, once its group ended, its outcome. */
  private static final class Entry<T extends @Nullable Object> {
    final Database.Work<T> work;
    @Nullable T result;
    @Nullable Throwable failure;

    Entry(Database.Work<T> work) {
      this.work = work;
    }

    void run(Connection c) throws SQLException {
      result = work.run(c);
    }
  }

  private final Transactions transactions;
  /** Who leads, and the hand-over to the next leader; each entry carries its own outcome. */
  private final WriteCoalescer<Entry<?>, Boolean> groups =
      new WriteCoalescer<>(Integer.MAX_VALUE, this::runGroup);

  GroupCommit(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Runs {@code work} in the next group and returns its result once the group committed; throws
   * what the work threw, or what the group's commit failed with.
   */
  <T extends @Nullable Object> T write(Database.Work<T> work) throws SQLException {
    Entry<T> mine = new Entry<>(work);
    groups.write(mine);
    return outcome(mine);
  }

  private static <T extends @Nullable Object> T outcome(Entry<T> entry) throws SQLException {
    Throwable failure = entry.failure;
    if (failure == null) {
      return entry.result;
    }
    if (failure instanceof SQLException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    throw (Error) failure;
  }

  /** Runs one group of writes in one transaction; each entry keeps its own result or failure. */
  private void runGroup(List<WriteCoalescer.Write<Entry<?>, Boolean>> writes) {
    List<Entry<?>> group = writes.stream().<Entry<?>>map(WriteCoalescer.Write::input).toList();
    // The leader runs other callers' writes: an interrupt of its own thread (its simulation was
    // cancelled) must not fail them. It is held back while the group runs, and writes it cut off
    // before they ran (waiting for the connection) run again; the leader's caller learns of it after.
    boolean interrupted = false;
    try {
      List<Entry<?>> pending = group;
      while (!pending.isEmpty()) {
        interrupted |= Thread.interrupted();
        if (pending.size() == 1) {
          runAlone(pending.get(0));
        } else {
          runGrouped(pending);
        }
        pending = pending.stream().filter(GroupCommit::cutOffByInterrupt).toList();
        pending.forEach(e -> e.failure = null);
      }
    } finally {
      writes.forEach(w -> w.succeed(true));
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the write failed because the leading thread was interrupted before any of it ran. */
  private static boolean cutOffByInterrupt(Entry<?> e) {
    return e.failure instanceof CohortException && e.failure.getCause() instanceof InterruptedException;
  }

  private void runGrouped(List<Entry<?>> group) {
    List<Entry<?>> rerun = new ArrayList<>();
    try {
      transactions.inTransaction(c -> {
        for (int i = 0; i < group.size(); i++) {
          Entry<?> e = group.get(i);
          if (!runInSavepoint(c, e)) {
            // The transaction is gone with the savepoint: run the rest alone, after the rollback.
            group.stream().filter(other -> other != e && other.failure == null).forEach(rerun::add);
            throw new AbandonedGroup();
          }
        }
      });
    } catch (AbandonedGroup abandoned) {
      for (Entry<?> e : rerun) {
        e.result = null;
        runAlone(e);
      }
    } catch (SQLException | RuntimeException | Error commitFailed) {
      // The commit (or the begin) failed: nothing of the group holds.
      for (Entry<?> e : group) {
        if (e.failure == null) {
          e.result = null;
          e.failure = commitFailed;
        }
      }
    }
  }

  /**
   * Runs one write inside a savepoint; returns false when rolling back to the savepoint failed,
   * which leaves the transaction's state unknown.
   */
  private boolean runInSavepoint(Connection c, Entry<?> e) throws SQLException {
    execute(c, "SAVEPOINT cohort_write");
    try {
      e.run(c);
    } catch (SQLException | RuntimeException | Error failure) {
      e.failure = failure;
      try {
        execute(c, "ROLLBACK TO cohort_write");
        execute(c, "RELEASE cohort_write");
      } catch (SQLException rollbackFailed) {
        failure.addSuppressed(rollbackFailed);
        return false;
      }
      return true;
    }
    execute(c, "RELEASE cohort_write");
    return true;
  }

  private void runAlone(Entry<?> e) {
    try {
      transactions.inTransaction(e::run);
    } catch (SQLException | RuntimeException | Error failure) {
      e.result = null;
      e.failure = failure;
    }
  }

  private void execute(Connection c, String sql) throws SQLException {
    transactions.execute(c, sql);
  }

  /** Abandons a group's transaction whose savepoint could not be rolled back to. */
  private static final class AbandonedGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbandonedGroup() {
      super("a write's savepoint could not be rolled back to", null, false, false);
    }
  }
}
