/**
 * Runnable examples: {@link dev.cohort.examples.Quickstart} runs the original system's documented
 * batch in memory against the offline simulated model; {@link dev.cohort.examples.SqliteExample}
 * stores a batch in a SQLite file and reads it back; {@link dev.cohort.examples.PostgresWorkersExample}
 * shares one batch between three workers on a PostgreSQL database.
 */
@NullMarked
package dev.cohort.examples;

import org.jspecify.annotations.NullMarked;
