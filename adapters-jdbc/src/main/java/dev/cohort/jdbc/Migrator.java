package dev.cohort.jdbc;

import dev.cohort.core.batch.CohortException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with the versioned scripts under {@code db/migration/<dialect>/},
 * recording each applied script, with a checksum, in {@code cohort_schema_history}. Scripts are
 * never edited once released: a schema change is a new script with the next version, and a script
 * whose checksum no longer matches its history row stops start-up.
 *
 * <p>Concurrent start-ups wait for each other: SQLite through {@code BEGIN IMMEDIATE}, PostgreSQL
 * through a transaction-scoped advisory lock, and within one JVM through a lock shared by all
 * repositories (H2's schema changes commit on their own, so only the JVM lock covers it).
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  /** The scripts, in the order they apply; each dialect has one file of each name. */
  static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__attempt_history.sql", "V3__spend.sql",
      "V6__provenance.sql", "V7__quality_flags.sql", "V8__outcomes.sql", "V9__provider_jobs.sql",
      "V10__models.sql", "V11__worker_heartbeats.sql", "V12__batch_coordinators.sql",
      "V13__submission_intents.sql", "V15__provider_job_models.sql");
  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  private final Database db;

  Migrator(Database db) {
    this.db = db;
  }

  /** The schema version the scripts lead to. */
  static int latestVersion() {
    return version(SCRIPTS.get(SCRIPTS.size() - 1));
  }

  /** Applies the scripts not yet applied; returns how many were. */
  int migrate() {
    DialectSql sql = db.sql();
    List<Script> scripts = new ArrayList<>();
    for (String name : SCRIPTS) {
      scripts.add(load(sql.dialect(), name));
    }
    JVM_LOCK.lock();
    try {
      return db.write("migrate the schema", c -> {
        sql.lockForMigration(c);
        createHistory(c, sql);
        Map<Integer, Long> applied = applied(c);
        check(applied, scripts);
        int count = 0;
        for (Script s : scripts) {
          if (!applied.containsKey(s.version)) {
            apply(c, s);
            count++;
          }
        }
        return count;
      });
    } finally {
      JVM_LOCK.unlock();
    }
  }

  private static void createHistory(Connection c, DialectSql sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS cohort_schema_history ("
          + "version INTEGER PRIMARY KEY, script VARCHAR(200) NOT NULL, checksum BIGINT NOT NULL,"
          + " applied_at VARCHAR(40) NOT NULL)");
    }
  }

  private static Map<Integer, Long> applied(Connection c) throws SQLException {
    Map<Integer, Long> applied = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, checksum FROM cohort_schema_history")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return applied;
  }

  private static void check(Map<Integer, Long> applied, List<Script> scripts) {
    int latest = latestVersion();
    for (Map.Entry<Integer, Long> e : applied.entrySet()) {
      if (e.getKey() > latest) {
        throw new CohortException("the database schema is at version " + e.getKey()
            + ", newer than this version of Cohort knows (" + latest + "); upgrade Cohort");
      }
    }
    for (Script s : scripts) {
      Long checksum = applied.get(s.version);
      if (checksum != null && checksum != s.checksum) {
        throw new CohortException("migration " + s.name + " differs from the one applied to this database"
            + " (checksum " + s.checksum + ", recorded " + checksum + "); schema changes belong in new scripts");
      }
    }
  }

  private static void apply(Connection c, Script s) throws SQLException {
    LOG.info("applying schema migration {}", s.name);
    try (Statement st = c.createStatement()) {
      for (String statement : s.statements) {
        st.execute(statement);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO cohort_schema_history (version, script, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
      ps.setInt(1, s.version);
      ps.setString(2, s.name);
      ps.setLong(3, s.checksum);
      ps.setString(4, Instant.now().toString());
      ps.executeUpdate();
    }
  }

  private static Script load(Dialect dialect, String name) {
    String path = "db/migration/" + dialect.folder() + "/" + name;
    // Class.getResourceAsStream, not the class loader's: on the module path the scripts sit in this
    // module's own (concealed) resource package, which only the module itself may read.
    try (InputStream in = Migrator.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new CohortException("migration script " + path + " is missing from cohort-jdbc");
      }
      List<String> statements = statements(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      // Over the statements, not the bytes: a checkout with other line endings is the same script.
      CRC32 crc = new CRC32();
      crc.update(String.join("\n", statements).getBytes(StandardCharsets.UTF_8));
      return new Script(version(name), name, crc.getValue(), statements);
    } catch (IOException e) {
      throw new CohortException("could not read migration script " + path + ": " + e.getMessage(), e);
    }
  }

  private static int version(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalStateException("migration script name " + name + " is not V<version>__<description>.sql");
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The script's statements: whole-line {@code --} comments dropped, split where a line ends with
   * a semicolon. The scripts are written to that rule (no semicolons inside literals at line ends).
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        out.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private record Script(int version, String name, long checksum, List<String> statements) {}
}
