package dev.cohort.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The databases {@link JdbcRepository} speaks. Each has its own migration scripts (resources under
 * {@code db/migration/<name>/}) and its own way to claim work safely.
 */
public enum Dialect {
  /** SQLite: one file, the embedded default; claims with {@code BEGIN IMMEDIATE} and {@code UPDATE … RETURNING}. */
  SQLITE("sqlite", "jdbc:sqlite:"),
  /** PostgreSQL: the shared store for several workers; claims with {@code FOR UPDATE SKIP LOCKED}. */
  POSTGRESQL("postgresql", "jdbc:postgresql:"),
  /** H2, embedded or server; claimers of one batch take turns on the batch's row lock. */
  H2("h2", "jdbc:h2:");

  private final String folder;
  private final String urlPrefix;

  Dialect(String folder, String urlPrefix) {
    this.folder = folder;
    this.urlPrefix = urlPrefix;
  }

  /** The folder of this dialect's migration scripts: {@code db/migration/<folder>}. */
  public String folder() {
    return folder;
  }

  /** The dialect a JDBC URL such as {@code jdbc:postgresql://host/db} names, if it is one of these. */
  public static Optional<Dialect> fromUrl(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(Locale.ROOT);
    for (Dialect d : values()) {
      if (lower.startsWith(d.urlPrefix)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The dialect of a database by the product name its JDBC driver reports, such as {@code PostgreSQL}. */
  public static Optional<Dialect> fromProductName(String productName) {
    String lower = productName.toLowerCase(Locale.ROOT);
    if (lower.contains("sqlite")) {
      return Optional.of(SQLITE);
    }
    if (lower.contains("postgres")) {
      return Optional.of(POSTGRESQL);
    }
    if (lower.equals("h2")) {
      return Optional.of(H2);
    }
    return Optional.empty();
  }
}
