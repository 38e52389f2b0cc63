package dev.cohort.jdbc;

import dev.cohort.core.port.ResponseCache;
import dev.cohort.testkit.ResponseCacheContractTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The response-cache contract against every database, and against a cache file of its own. */
class JdbcResponseCacheContractTest {
  /** The suite on one database, the cache sharing the repository's. */
  abstract static class OnDatabase extends ResponseCacheContractTest {
    @TempDir Path dir;
    private final Map<ResponseCache, JdbcRepository> repositories = new HashMap<>();
    private final Map<ResponseCache, String> urls = new HashMap<>();

    abstract TestDatabase database();

    @Override
    protected ResponseCache createCache() {
      String url = database().newUrl(dir);
      JdbcRepository repository = database().open(url);
      JdbcResponseCache cache = JdbcResponseCache.of(repository);
      repositories.put(cache, repository);
      urls.put(cache, url);
      return cache;
    }

    @Override
    protected void closeCache(ResponseCache cache) throws Exception {
      ((JdbcResponseCache) cache).close();
      repositories.remove(cache).close();
      database().dispose(urls.remove(cache));
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

  /** A cache in a SQLite file of its own ({@code --cache FILE}). */
  @Nested
  class SeparateSqliteFile extends ResponseCacheContractTest {
    @TempDir Path dir;

    @Override
    protected ResponseCache createCache() {
      return JdbcResponseCache.sqlite(dir.resolve("cache.db"));
    }

    @Override
    protected void closeCache(ResponseCache cache) {
      ((JdbcResponseCache) cache).close();
    }
  }
}
