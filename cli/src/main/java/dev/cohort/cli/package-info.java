/**
 * The {@code cohort} command line: {@link dev.cohort.cli.CohortCommand} parses the arguments with
 * picocli and runs one subcommand ({@code run}, {@code entities}, {@code batches}, {@code export},
 * {@code serve}, {@code worker}) against a JDBC store (SQLite by default) and a model
 * (OpenAI-compatible when configured, else the offline simulated one). Everything but the entry
 * point is package-private: the command line's contract is its flags, its output and its exit
 * codes, documented in the README.
 */
@NullMarked
package dev.cohort.cli;

import org.jspecify.annotations.NullMarked;
