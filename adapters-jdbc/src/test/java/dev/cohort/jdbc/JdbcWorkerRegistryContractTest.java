package dev.cohort.jdbc;

import dev.cohort.core.port.WorkerRegistry;
import dev.cohort.testkit.WorkerRegistryContractTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The worker-registry contract against every database. */
class JdbcWorkerRegistryContractTest {
  /** The suite on one database, in the repository's schema. */
  abstract static class OnDatabase extends WorkerRegistryContractTest {
    @TempDir Path dir;
    private final Map<WorkerRegistry, JdbcRepository> repositories = new HashMap<>();
    private final Map<WorkerRegistry, String> urls = new HashMap<>();

    abstract TestDatabase database();

    @Override
    protected WorkerRegistry createRegistry() {
      String url = database().newUrl(dir);
      JdbcRepository repository = database().open(url);
      JdbcWorkerRegistry registry = JdbcWorkerRegistry.of(repository);
      repositories.put(registry, repository);
      urls.put(registry, url);
      return registry;
    }

    @Override
    protected void closeRegistry(WorkerRegistry registry) throws Exception {
      repositories.remove(registry).close();
      database().dispose(urls.remove(registry));
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
