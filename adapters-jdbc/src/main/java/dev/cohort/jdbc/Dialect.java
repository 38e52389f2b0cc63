package dev.cohort.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The databases {@link JdbcRepository} speaks. Each has its own migration scripts (resources under
 * {@code db/migration/<name>/}) and its own way to claim work safely.
 */
public enum Dialect {
  /** SQLite: one file, the embedded default; claims with {@code BEGIN IMMEDIATE} and {@code UPDATE … RETURNING}. */
  SQLITE("sqlite", "jdbc:sqlite:", "SQLite", "org.xerial:sqlite-jdbc"),
  /** PostgreSQL: the shared store for several workers; claims with {@code FOR UPDATE SKIP LOCKED}. */
  POSTGRESQL("postgresql", "jdbc:postgresql:", "PostgreSQL", "org.postgresql:postgresql"),
  /** H2, embedded or server; claimers of one batch take turns on the batch's row lock. */
  H2("h2", "jdbc:h2:", "H2", "com.h2database:h2");

  private final String folder;
  private final String urlPrefix;
  private final String displayName;
  private final String driverArtifact;

  Dialect(String folder, String urlPrefix, String displayName, String driverArtifact) {
    this.folder = folder;
    this.urlPrefix = urlPrefix;
    this.displayName = displayName;
    this.driverArtifact = driverArtifact;
  }

  /**
   * The Maven coordinates ({@code groupId:artifactId}) of this database's JDBC driver. {@code
   * cohort-jdbc} declares the drivers optional, so an application adds the one it uses.
   */
  public String driverArtifact() {
    return driverArtifact;
  }

  /** The database's name as its users write it, for messages. */
  String displayName() {
    return displayName;
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
