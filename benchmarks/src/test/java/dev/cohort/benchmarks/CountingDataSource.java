package dev.cohort.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source over a JDBC URL that keeps up to a fixed number of connections (as the repository's
 * own URL connections do) and counts what reaches the server: each statement execution and each
 * {@code executeBatch} is one round trip, and so is each commit and rollback. For
 * {@link PostgresRoundCostHarness}'s statement counts per round; not a pool to use elsewhere.
 */
final class CountingDataSource implements DataSource {
  private final String url;
  private final BlockingQueue<Connection> idle;
  private final int max;
  private int opened;
  /** Statement executions, a batch counted once. */
  final LongAdder statements = new LongAdder();
  /** Commits and rollbacks. */
  final LongAdder transactionEnds = new LongAdder();
  /** Executions of a claim (a statement with {@code SKIP LOCKED}), also counted in {@link #statements}. */
  final LongAdder claims = new LongAdder();

  CountingDataSource(String url, int max) {
    this.url = url;
    this.max = max;
    this.idle = new ArrayBlockingQueue<>(max);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = idle.poll();
    if (real == null) {
      boolean open;
      synchronized (this) {
        open = opened < max;
        if (open) {
          opened++;
        }
      }
      if (open) {
        real = DriverManager.getConnection(url);
      } else {
        try {
          real = idle.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for a connection", e);
        }
      }
    }
    Connection kept = real;
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
        case "close" -> {
          if (!kept.getAutoCommit()) {
            kept.rollback();
            kept.setAutoCommit(true);
          }
          idle.add(kept);
          return null;
        }
        case "commit", "rollback" -> transactionEnds.increment();
        default -> {
          // passed on below
        }
      }
      Object result = invoke(method, kept, args);
      boolean claim = method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql
          && sql.contains("SKIP LOCKED");
      return result instanceof Statement s ? counting(s, method.getReturnType(), claim) : result;
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        handler);
  }

  private Object counting(Statement statement, Class<?> type, boolean claim) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().startsWith("execute")) {
        statements.increment();
        if (claim) {
          claims.increment();
        }
      }
      return invoke(method, statement, args);
    };
    return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Closes the idle connections. */
  void close() throws SQLException {
    for (Connection c; (c = idle.poll()) != null; ) {
      c.close();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the URL carries the user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return new PrintWriter(System.err);
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // not used
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // not used
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper of " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
