package dev.cohort.reliability;

import dev.cohort.core.port.RepositoryPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.jdbc.JdbcRepository;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** The stores the reliability tests run against, each handing out fresh, empty ones. */
enum Store {
  IN_MEMORY {
    @Override
    String newUrl(Path dir) {
      return "memory:" + COUNTER.incrementAndGet();
    }

    @Override
    Opened open(String url) {
      return new Opened(InMemoryRepository.create(), url, () -> { });
    }
  },
  SQLITE {
    @Override
    String newUrl(Path dir) {
      return "jdbc:sqlite:" + dir.resolve("cohort-" + COUNTER.incrementAndGet() + ".db");
    }
  },
  POSTGRESQL {
    @Override
    String newUrl(Path dir) {
      return PostgresServer.shared().freshSchemaUrl("reliability");
    }
  };

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** A repository on a store, and how to close it. */
  record Opened(RepositoryPort repository, String url, Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }

  /** The address of a new, empty store; {@code dir} holds file databases. */
  abstract String newUrl(Path dir);

  /** A repository on the store at {@code url}. */
  Opened open(String url) {
    JdbcRepository repository = JdbcRepository.builder().url(url).build();
    return new Opened(repository, url, repository::close);
  }

  /** A repository on a new, empty store. */
  Opened openNew(Path dir) {
    return open(newUrl(dir));
  }

  /** The single number a SQL query on a JDBC store answers. */
  static long count(String url, String query) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run '" + query + "': " + e.getMessage(), e);
    }
  }
}
