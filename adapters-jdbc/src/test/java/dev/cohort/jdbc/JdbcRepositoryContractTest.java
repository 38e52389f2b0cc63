package dev.cohort.jdbc;

import dev.cohort.core.port.RepositoryPort;
import dev.cohort.testkit.RepositoryContractTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The port's contract suite, run against every database the JDBC repository speaks. */
class JdbcRepositoryContractTest {
  /** The suite against one database: each test gets a fresh store, disposed of afterwards. */
  abstract static class OnDatabase extends RepositoryContractTest {
    @TempDir Path dir;
    private final Map<RepositoryPort, String> urls = new HashMap<>();

    abstract TestDatabase database();

    @Override
    protected RepositoryPort createRepository() {
      String url = database().newUrl(dir);
      JdbcRepository repo = database().open(url);
      urls.put(repo, url);
      return repo;
    }

    @Override
    protected void closeRepository(RepositoryPort repository) throws Exception {
      ((JdbcRepository) repository).close();
      database().dispose(urls.remove(repository));
    }
  }

  @Nested
  class SqliteFile extends OnDatabase {
    @Override
    TestDatabase database() {
      return TestDatabase.SQLITE_FILE;
    }
  }

  @Nested
  class SqliteInMemory extends OnDatabase {
    @Override
    TestDatabase database() {
      return TestDatabase.SQLITE_MEMORY;
    }
  }

  @Nested
  class H2 extends OnDatabase {
    @Override
    TestDatabase database() {
      return TestDatabase.H2;
    }
  }

  @Nested
  class Postgresql extends OnDatabase {
    @Override
    TestDatabase database() {
      return TestDatabase.POSTGRESQL;
    }
  }
}
