/**
 * Cohort's JDBC store: {@code JdbcRepository} for SQLite, PostgreSQL and H2. The driver is found
 * through {@code java.sql.DriverManager} (or the caller's {@code DataSource}), so no driver module
 * is required here: put the one you use on the module path beside this one.
 */
module dev.cohort.jdbc {
  exports dev.cohort.jdbc;

  requires transitive dev.cohort.core;
  // JdbcRepository.create takes a javax.sql.DataSource.
  requires transitive java.sql;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;
}
