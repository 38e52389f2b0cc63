/**
 * Cohort's storage over JDBC: {@link dev.cohort.jdbc.JdbcRepository}, a {@link
 * dev.cohort.core.port.RepositoryPort} for SQLite (the embedded default, one file readable from
 * Python, R or DuckDB), PostgreSQL (one database shared by several worker processes) and H2. Plain
 * JDBC with prepared statements; the schema is created and upgraded by versioned scripts under
 * {@code db/migration/<dialect>/}. Everything but the repository, its builder and {@link
 * dev.cohort.jdbc.Dialect} is package-private.
 */
@NullMarked
package dev.cohort.jdbc;

import org.jspecify.annotations.NullMarked;
