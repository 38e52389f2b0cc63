package dev.cohort.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** The databases every JDBC test runs against, each handing out fresh, isolated stores. */
enum TestDatabase {
  SQLITE_FILE {
    @Override
    String newUrl(Path dir) {
      return "jdbc:sqlite:" + dir.resolve("cohort-" + COUNTER.incrementAndGet() + ".db");
    }
  },
  SQLITE_MEMORY {
    @Override
    String newUrl(Path dir) {
      return "jdbc:sqlite:file:cohort" + COUNTER.incrementAndGet() + "?mode=memory&cache=shared";
    }
  },
  H2 {
    @Override
    String newUrl(Path dir) {
      return "jdbc:h2:mem:cohort" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    }

    @Override
    void dispose(String url) throws SQLException {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
    }
  },
  POSTGRESQL {
    @Override
    String newUrl(Path dir) {
      return PostgresServer.freshSchemaUrl();
    }

    @Override
    void dispose(String url) throws SQLException {
      String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  };

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The URL of a new, empty store; {@code dir} is a temporary folder for file databases. */
  abstract String newUrl(Path dir);

  /** Frees what {@link #newUrl} made, once no repository uses it. */
  void dispose(String url) throws SQLException {}

  /** A repository on a new, empty store. */
  JdbcRepository open(String url) {
    return JdbcRepository.builder().url(url).build();
  }
}
