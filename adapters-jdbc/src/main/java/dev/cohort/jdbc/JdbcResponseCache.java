package dev.cohort.jdbc;

import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.ResponseCache;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResponseCache} in a database: the tables {@code response_cache} and {@code
 * response_cache_uses} of the Cohort schema (migration V6). {@link #of(JdbcRepository)} keeps the
 * cache in the repository's own database (the default: one file holds the batches and the answers
 * that made them); {@link #sqlite(Path)} keeps it in a SQLite file of its own, to share or to use
 * across stores. Entries are stored exactly as given. Thread-safe.
 */
public final class JdbcResponseCache implements ResponseCache, AutoCloseable {
  /** Entries read per page when a batch's entries are streamed. */
  private static final int PAGE = 500;

  private final Database db;
  private final @Nullable JdbcRepository owned;

  private JdbcResponseCache(Database db, @Nullable JdbcRepository owned) {
    this.db = db;
    this.owned = owned;
  }

  /** The cache in {@code repository}'s database; closing it leaves the repository open. */
  public static JdbcResponseCache of(JdbcRepository repository) {
    Objects.requireNonNull(repository, "repository");
    return new JdbcResponseCache(repository.database(), null);
  }

  /**
   * The cache in the SQLite file {@code file}, created with the Cohort schema when missing;
   * {@link #close()} closes the file.
   */
  public static JdbcResponseCache sqlite(Path file) {
    JdbcRepository repository = JdbcRepository.sqlite(Objects.requireNonNull(file, "file"));
    return new JdbcResponseCache(repository.database(), repository);
  }

  @Override
  public Optional<CacheEntry> find(String key) {
    Objects.requireNonNull(key, "key");
    DialectSql sql = db.sql();
    return db.read("read the response cache", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT cache_key, answer, finish_reason, model,"
          + " system_fingerprint, prompt_tokens, completion_tokens, created_at, sha256 FROM response_cache"
          + " WHERE cache_key = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(entry(rs, sql)) : Optional.<CacheEntry>empty();
        }
      }
    });
  }

  @Override
  public void put(CacheEntry entry) {
    Objects.requireNonNull(entry, "entry");
    DialectSql sql = db.sql();
    db.write("store a response cache entry", c -> {
      // Delete, then insert, in one transaction: the same in every dialect, and it replaces a
      // corrupted entry with the fresh answer.
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM response_cache WHERE cache_key = ?")) {
        delete.setString(1, entry.key());
        delete.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO response_cache (cache_key, answer, finish_reason,"
          + " model, system_fingerprint, prompt_tokens, completion_tokens, created_at, sha256)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, entry.key());
        ps.setString(2, entry.text());
        ps.setString(3, entry.finishReason());
        ps.setString(4, entry.model());
        ps.setString(5, entry.systemFingerprint());
        ps.setLong(6, entry.promptTokens());
        ps.setLong(7, entry.completionTokens());
        sql.bindInstant(ps, 8, entry.createdAt());
        ps.setString(9, entry.sha256());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void recordUse(String batchId, String key) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(key, "key");
    DialectSql sql = db.sql();
    db.write("record a response cache use", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO response_cache_uses (batch_id, cache_key,"
          + " first_used_at) SELECT ?, ?, " + sql.now() + " WHERE NOT EXISTS (SELECT 1 FROM response_cache_uses WHERE batch_id = ? AND cache_key = ?)")) {
        ps.setString(1, batchId);
        ps.setString(2, key);
        ps.setString(3, batchId);
        ps.setString(4, key);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void forEachUsedBy(String batchId, Consumer<? super CacheEntry> action) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(action, "action");
    DialectSql sql = db.sql();
    // Keyset pages over the key: bounded memory for a batch of any size.
    @Nullable String after = null;
    while (true) {
      @Nullable String from = after;
      List<CacheEntry> page = db.read("read the response cache entries of batch " + batchId, c -> {
        List<CacheEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.cache_key, e.answer, e.finish_reason, e.model,"
            + " e.system_fingerprint, e.prompt_tokens, e.completion_tokens, e.created_at, e.sha256"
            + " FROM response_cache_uses u JOIN response_cache e ON e.cache_key = u.cache_key WHERE u.batch_id = ?"
            + (from == null ? "" : " AND " + sql.binaryOrder("u.cache_key") + " > ?")
            + " ORDER BY " + sql.binaryOrder("u.cache_key"))) {
          ps.setString(1, batchId);
          if (from != null) {
            ps.setString(2, from);
          }
          ps.setMaxRows(PAGE);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next() && out.size() < PAGE) {
              out.add(entry(rs, sql));
            }
          }
        }
        return out;
      });
      page.forEach(action);
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).key();
    }
  }

  /** Closes the SQLite file of a cache made by {@link #sqlite(Path)}; does nothing otherwise. */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }

  private static CacheEntry entry(ResultSet rs, DialectSql sql) throws SQLException {
    return new CacheEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getLong(6), rs.getLong(7), Objects.requireNonNull(sql.instant(rs, 8), "created_at"), rs.getString(9));
  }
}
