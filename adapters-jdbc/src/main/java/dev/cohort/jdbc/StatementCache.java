package dev.cohort.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The prepared statements of SQLite's one connection, kept for reuse. Preparing (parsing and
 * planning) a statement cost SQLite about as much as running it, and a round's writes run the same
 * few statements every time. Only for a connection used by one thread at a time: callers hold the
 * database's lock. A connection other than the last one seen (the old one broke and was replaced)
 * starts the cache afresh.
 */
final class StatementCache {
  /** More distinct statements than the hot paths use; the least recently used one is closed beyond. */
  static final int CAPACITY = 64;

  private @Nullable Connection connection;
  private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= CAPACITY) {
        return false;
      }
      closeQuietly(eldest.getValue());
      return true;
    }
  };

  /** The statement for {@code sql} on {@code c}, its parameters cleared; the caller must not close it. */
  PreparedStatement get(Connection c, String sql) throws SQLException {
    if (c != connection) {
      clear();
      connection = c;
    }
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = c.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  /** Closes every statement kept. */
  void clear() {
    List<PreparedStatement> kept = new ArrayList<>(statements.values());
    statements.clear();
    connection = null;
    kept.forEach(StatementCache::closeQuietly);
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // A statement of a connection that is gone: nothing to free.
    }
  }
}
