package dev.cohort.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the databases: how time is written and read, how a write transaction
 * begins, how work is claimed, how an entity is upserted. Everything else is shared SQL.
 */
abstract class DialectSql {
  /** The lease of a running simulation has run out (or it never had one). */
  final String leaseExpired() {
    return "(lease_expires_at IS NULL OR lease_expires_at <= " + now() + ")";
  }

  /** A simulation that may be claimed: pending, or running under an expired lease. */
  final String runnable() {
    return "(status = 'pending' OR (status = 'running' AND " + leaseExpired() + "))";
  }

  /**
   * The ids of batch {@code ?}'s pending simulations ({@code ?} of them at most), lowest sequence
   * number first, leaving out those planned for {@code excluded} models; parameters batch id, the
   * excluded model names, max. The ORDER BY names the whole index so that every database reads the
   * index in order and stops at the limit instead of sorting all pending rows (rows of an excluded
   * model are read past, in index order).
   */
  static String pending(int excluded) {
    return "SELECT id, sequence_number FROM simulations WHERE batch_id = ? AND status = 'pending'"
        + excludingModels(excluded) + " ORDER BY batch_id, status, sequence_number LIMIT ?";
  }

  /** As {@link #pending(int)}, for running simulations whose lease expired. */
  final String expired(int excluded) {
    return "SELECT id, sequence_number FROM simulations WHERE batch_id = ? AND status = 'running' AND "
        + leaseExpired() + excludingModels(excluded) + " ORDER BY batch_id, status, sequence_number LIMIT ?";
  }

  /**
   * The condition that leaves out simulations planned for one of {@code n} models (parameters: the
   * names); empty for none. A simulation planned for no model stays in: {@code NULL NOT IN (…)} is
   * not true, so the NULL is tested on its own.
   */
  private static String excludingModels(int n) {
    return n == 0 ? "" : " AND (planned_model IS NULL OR planned_model NOT IN (" + placeholders(n) + "))";
  }

  /**
   * The ids of at most {@code max} runnable simulations of the batch, lowest sequence number first,
   * leaving out those planned for {@code excluded} models; parameters as {@link
   * #bindCandidates(PreparedStatement, int, String, int, List)} binds them. Two index-ordered reads
   * merged, rather than one read with OR, which no database here reads in index order.
   */
  final String candidates(int excluded) {
    return "SELECT id FROM (SELECT id, sequence_number FROM (" + pending(excluded) + ") p UNION ALL"
        + " SELECT id, sequence_number FROM (" + expired(excluded) + ") r) c ORDER BY sequence_number LIMIT ?";
  }

  /** Binds {@link #candidates(int)}'s parameters from {@code first}; returns the next index. */
  static int bindCandidates(PreparedStatement ps, int first, String batchId, int max, List<String> excluded)
      throws SQLException {
    int i = first;
    for (int read = 0; read < 2; read++) {
      i = bindFiltered(ps, i, batchId, max, excluded);
    }
    ps.setInt(i++, max);
    return i;
  }

  /** Binds one of {@link #pending(int)} or {@link #expired(int)}; returns the next index. */
  static int bindFiltered(PreparedStatement ps, int first, String batchId, int max, List<String> excluded)
      throws SQLException {
    int i = first;
    ps.setString(i++, batchId);
    for (String model : excluded) {
      ps.setString(i++, model);
    }
    ps.setInt(i++, max);
    return i;
  }

  /** What taking a lease sets; parameters: owner, lease duration. */
  final String takeLease() {
    return "status = 'running', lease_owner = ?, lease_expires_at = " + nowPlus()
        + ", version = version + 1, attempts = attempts + 1, started_at = COALESCE(started_at, " + now() + ")";
  }

  /** {@code n} comma-separated question marks, for an IN list. */
  static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  static DialectSql of(Dialect dialect) {
    return switch (dialect) {
      case SQLITE -> new Sqlite();
      case POSTGRESQL -> new Postgres();
      case H2 -> new H2();
    };
  }

  abstract Dialect dialect();

  /** An SQL expression for the database clock's current time. */
  abstract String now();

  /** An SQL expression for the current time plus a duration, given as one parameter bound by {@link #bindDuration}. */
  abstract String nowPlus();

  abstract void bindDuration(PreparedStatement ps, int index, Duration duration) throws SQLException;

  /** Binds a timestamp, kept to the millisecond: the one precision Cohort stores and shows. */
  abstract void bindInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException;

  abstract @Nullable Instant instant(ResultSet rs, int column) throws SQLException;

  /** The placeholder for a JSON parameter bound as a string. */
  String json() {
    return "?";
  }

  /** {@code column} as an ORDER BY term that sorts like {@link String#compareTo}. */
  String binaryOrder(String column) {
    return column;
  }

  /** Inserts or replaces an entity; parameters: id, name, description, attributes (JSON). */
  abstract String upsertEntity();

  /** Sets what every statement relies on, on a connection just borrowed or opened. */
  void prepare(Connection c) throws SQLException {}

  /** Runs once when the repository starts, before migrations. */
  void start(Connection c) throws SQLException {}

  /** Whether all access goes through one connection at a time (SQLite's single writer). */
  boolean serialised() {
    return false;
  }

  /** Whether large reads stream through a server-side cursor (else through keyset pages). */
  boolean cursorStreaming() {
    return false;
  }

  void begin(Connection c) throws SQLException {
    c.setAutoCommit(false);
  }

  void commit(Connection c) throws SQLException {
    c.commit();
    c.setAutoCommit(true);
  }

  void rollback(Connection c) throws SQLException {
    c.rollback();
    c.setAutoCommit(true);
  }

  /** Makes concurrent migrators on other connections wait until this transaction ends. */
  void lockForMigration(Connection c) throws SQLException {}

  /**
   * Leases up to {@code max} runnable simulations of the batch to {@code owner}, lowest sequence
   * number first, leaving out those planned for {@code excludedModels}, inside the caller's write
   * transaction.
   *
   * @return the ids leased
   */
  abstract List<String> claim(Connection c, String batchId, String owner, int max, Duration lease,
      List<String> excludedModels) throws SQLException;

  /** A runnable simulation found by a claim. */
  private record Candidate(String id, int sequenceNumber) {}

  /** PostgreSQL and H2: timestamps with time zone, the database clock's CURRENT_TIMESTAMP. */
  private abstract static class Timestamptz extends DialectSql {
    @Override
    final void bindInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
      if (instant == null) {
        ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
      }
    }

    @Override
    final @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      // The database's own CURRENT_TIMESTAMP has microseconds; Cohort keeps milliseconds everywhere.
      return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    final String now() {
      return "CURRENT_TIMESTAMP";
    }

    @Override
    final void bindDuration(PreparedStatement ps, int index, Duration duration) throws SQLException {
      ps.setLong(index, duration.toNanos() / 1_000);
    }
  }

  private static final class Postgres extends Timestamptz {
    /** Key of the advisory lock migrators take; any constant that other software is unlikely to use. */
    private static final long MIGRATION_LOCK_KEY = 0x436f686f7274L;

    @Override
    Dialect dialect() {
      return Dialect.POSTGRESQL;
    }

    /**
     * Locks up to {@code max} pending and up to {@code max} expired simulations, skipping rows
     * other claimers hold, each read in index order; leases the {@code max} lowest of them. The
     * rows locked but not leased are released at commit. One statement, so one round trip to the
     * server: the two locking reads are CTEs of the update that takes the leases.
     */
    @Override
    List<String> claim(Connection c, String batchId, String owner, int max, Duration lease,
        List<String> excludedModels) throws SQLException {
      List<Candidate> found = new ArrayList<>();
      int excluded = excludedModels.size();
      try (PreparedStatement ps = c.prepareStatement("WITH p AS (" + pending(excluded) + " FOR UPDATE SKIP LOCKED),"
          + " e AS (" + expired(excluded) + " FOR UPDATE SKIP LOCKED),"
          + " chosen AS (SELECT id FROM (SELECT id, sequence_number FROM p UNION ALL SELECT id, sequence_number FROM e)"
          + " c ORDER BY sequence_number LIMIT ?)"
          + " UPDATE simulations SET " + takeLease() + " WHERE id IN (SELECT id FROM chosen)"
          + " RETURNING id, sequence_number")) {
        int i = bindFiltered(ps, 1, batchId, max, excludedModels);
        i = bindFiltered(ps, i, batchId, max, excludedModels);
        ps.setInt(i++, max);
        ps.setString(i++, owner);
        bindDuration(ps, i, lease);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(new Candidate(rs.getString(1), rs.getInt(2)));
          }
        }
      }
      return found.stream().sorted(Comparator.comparingInt(Candidate::sequenceNumber)).map(Candidate::id).toList();
    }

    @Override
    String nowPlus() {
      return "(CURRENT_TIMESTAMP + CAST(? AS double precision) * INTERVAL '1 microsecond')";
    }

    @Override
    String json() {
      return "CAST(? AS jsonb)";
    }

    @Override
    boolean cursorStreaming() {
      return true;
    }

    @Override
    String binaryOrder(String column) {
      return column + " COLLATE \"C\"";
    }

    @Override
    String upsertEntity() {
      return "INSERT INTO entities (id, name, description, attributes, updated_at) VALUES (?, ?, ?, " + json()
          + ", " + now() + ") ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,"
          + " attributes = excluded.attributes, updated_at = excluded.updated_at";
    }

    @Override
    void lockForMigration(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, MIGRATION_LOCK_KEY);
        ps.execute();
      }
    }
  }

  private static final class H2 extends Timestamptz {
    @Override
    Dialect dialect() {
      return Dialect.H2;
    }

    /**
     * Claimers of one batch take turns on its row lock, then lease the lowest runnable simulations.
     * H2's {@code FOR UPDATE} locks every row that matches before it applies the limit, so locking
     * candidate rows directly would cost time in proportion to the batch.
     */
    @Override
    List<String> claim(Connection c, String batchId, String owner, int max, Duration lease,
        List<String> excludedModels) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM batches WHERE id = ? FOR UPDATE")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return List.of();
          }
        }
      }
      List<String> candidates = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(candidates(excludedModels.size()))) {
        bindCandidates(ps, 1, batchId, max, excludedModels);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            candidates.add(rs.getString(1));
          }
        }
      }
      List<String> claimed = new ArrayList<>();
      // One row at a time, each re-checked: a cancel may have changed a candidate since it was read.
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE simulations SET " + takeLease() + " WHERE id = ? AND " + runnable())) {
        for (String id : candidates) {
          ps.setString(1, owner);
          bindDuration(ps, 2, lease);
          ps.setString(3, id);
          if (ps.executeUpdate() > 0) {
            claimed.add(id);
          }
        }
      }
      return claimed;
    }

    @Override
    String nowPlus() {
      return "DATEADD(MICROSECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
    }

    @Override
    String upsertEntity() {
      return "MERGE INTO entities (id, name, description, attributes, updated_at) KEY (id) VALUES (?, ?, ?, ?, "
          + now() + ")";
    }
  }

  /**
   * SQLite: timestamps are ISO-8601 UTC text with six fraction digits, which sorts as time does and
   * reads well from Python or DuckDB; writes take the database lock up front with {@code BEGIN
   * IMMEDIATE}, so two processes on one file queue (within the busy timeout) rather than fail
   * half-way through a transaction.
   */
  private static final class Sqlite extends DialectSql {
    /** How long a statement waits for another process's write lock before failing. */
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;
    private static final String FORMAT = "'%Y-%m-%dT%H:%M:%f000Z'";

    @Override
    Dialect dialect() {
      return Dialect.SQLITE;
    }

    @Override
    String now() {
      return "strftime(" + FORMAT + ", 'now')";
    }

    @Override
    String nowPlus() {
      return "strftime(" + FORMAT + ", 'now', ?)";
    }

    @Override
    void bindDuration(PreparedStatement ps, int index, Duration duration) throws SQLException {
      // A date modifier such as '+2.500 seconds'; SQLite's clock has millisecond resolution.
      ps.setString(index, String.format(Locale.ROOT, "%+.3f seconds", duration.toMillis() / 1000.0));
    }

    @Override
    void bindInstant(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
      if (instant == null) {
        ps.setNull(index, Types.VARCHAR);
      } else {
        ps.setString(index, SqliteTimestamps.format(instant));
      }
    }

    @Override
    @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
      String text = rs.getString(column);
      // Files written before timestamps were kept in milliseconds may hold microseconds.
      return text == null ? null : SqliteTimestamps.parse(text);
    }

    @Override
    String upsertEntity() {
      return "INSERT INTO entities (id, name, description, attributes, updated_at) VALUES (?, ?, ?, ?, " + now()
          + ") ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,"
          + " attributes = excluded.attributes, updated_at = excluded.updated_at";
    }

    @Override
    void prepare(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        // Both are per connection: without the first, ON DELETE CASCADE does nothing.
        s.execute("PRAGMA foreign_keys = ON");
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        // With WAL, NORMAL loses no committed transaction when the process dies, only on power loss.
        s.execute("PRAGMA synchronous = NORMAL");
      }
    }

    @Override
    void start(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        // Persistent in the file: readers in other processes (Python, DuckDB) no longer block writers.
        s.execute("PRAGMA journal_mode = WAL");
      }
    }

    @Override
    boolean serialised() {
      return true;
    }


    @Override
    void begin(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void commit(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    List<String> claim(Connection c, String batchId, String owner, int max, Duration lease,
        List<String> excludedModels) throws SQLException {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET " + takeLease()
          + " WHERE id IN (" + candidates(excludedModels.size()) + ") RETURNING id")) {
        ps.setString(1, owner);
        bindDuration(ps, 2, lease);
        bindCandidates(ps, 3, batchId, max, excludedModels);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      return ids;
    }
  }
}
