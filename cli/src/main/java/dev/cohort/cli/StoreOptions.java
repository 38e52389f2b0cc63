package dev.cohort.cli;

import dev.cohort.jdbc.Dialect;
import dev.cohort.jdbc.JdbcRepository;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --db}: the store every command that reads or writes batches and entities opens. */
final class StoreOptions {
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  @Option(names = "--db", paramLabel = "URL",
      defaultValue = "${env:COHORT_DB:-" + JdbcRepository.DEFAULT_URL + "}",
      description = {"Where batches and entities are stored: a JDBC URL (jdbc:sqlite:FILE, "
          + "jdbc:postgresql://HOST/DB?user=U&password=P, jdbc:h2:FILE) or the path of a SQLite file.",
          "Default: $COHORT_DB, else " + JdbcRepository.DEFAULT_URL + "."})
  String db = JdbcRepository.DEFAULT_URL;

  /** The JDBC URL {@code --db} stands for: a plain path means a SQLite file. */
  String url() {
    String value = db.strip();
    if (value.isEmpty()) {
      throw new UsageException("--db", "is empty; give a JDBC URL such as " + JdbcRepository.DEFAULT_URL);
    }
    return value.startsWith("jdbc:") ? value : "jdbc:sqlite:" + value;
  }

  /** {@code " --db URL"} to repeat in a suggested command, or {@code ""} for the default store. */
  String hintFlag() {
    return url().equals(JdbcRepository.DEFAULT_URL) && System.getenv("COHORT_DB") == null
        ? "" : " --db '" + safeUrl() + "'";
  }

  /** The URL with any password hidden, for messages. */
  String safeUrl() {
    return PASSWORD.matcher(url()).replaceAll("$1***");
  }

  /**
   * Opens the store, creating or migrating its schema.
   *
   * @throws UsageException when the URL names no database Cohort speaks
   */
  JdbcRepository open() {
    String url = url();
    if (Dialect.fromUrl(url).isEmpty()) {
      // The library's advice, dialect(...), is a Java setting this command has no flag for.
      throw new UsageException("--db", "'" + safeUrl() + "' is not a database the command line supports; use "
          + "jdbc:sqlite:FILE, jdbc:postgresql://HOST:5432/DB?user=U&password=P or jdbc:h2:FILE, or the path of a "
          + "SQLite file");
    }
    try {
      return JdbcRepository.builder().url(url).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--db", e.getMessage());
    }
  }
}
