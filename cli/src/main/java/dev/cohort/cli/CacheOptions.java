package dev.cohort.cli;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.CacheMode;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.jdbc.JdbcResponseCache;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --cache FILE} and {@code --cache-mode MODE}: the response cache in front of the model
 * calls. Without either there is none; {@code --cache-mode} alone keeps it in the {@code --db}
 * database; {@code --cache FILE} keeps it in a SQLite file of its own (mode read-write unless said).
 */
final class CacheOptions {
  @Option(names = "--cache", paramLabel = "FILE",
      description = {"Keep the response cache in this SQLite file instead of the --db database.",
          "Implies --cache-mode read-write unless another mode is given."})
  @Nullable String file;

  @Option(names = "--cache-mode", paramLabel = "MODE",
      description = {"How model calls use the response cache: off, read-write (store answers and reuse them),"
          + " read-only (reuse, store nothing) or replay (every answer must come from the cache; no model is"
          + " called, so no key is needed).",
          "Default: off, or read-write with --cache."})
  @Nullable String mode;

  /**
   * The mode asked for: {@code off} when neither flag is given.
   *
   * @throws UsageException when the mode is not one of the four
   */
  CacheMode mode() {
    if (mode == null) {
      return file == null ? CacheMode.OFF : CacheMode.READ_WRITE;
    }
    try {
      return CacheMode.fromWireName(mode);
    } catch (ValidationException e) {
      throw new UsageException("--cache-mode", "must be off, read-write, read-only or replay, was '" + mode + "'");
    }
  }

  /** Whether a cache is to be opened. */
  boolean enabled() {
    return mode() != CacheMode.OFF;
  }

  /**
   * Opens the cache: the {@code --cache} file, else the tables of {@code repository}'s database.
   * Closing it closes only what it opened.
   */
  JdbcResponseCache open(JdbcRepository repository, Path workingDir) {
    if (file == null) {
      return JdbcResponseCache.of(repository);
    }
    if (file.isBlank()) {
      throw new UsageException("--cache", "is empty; give the path of a SQLite file");
    }
    return JdbcResponseCache.sqlite(workingDir.resolve(file.strip()));
  }

  /** One line for standard error, or null when there is no cache. */
  @Nullable String notice() {
    CacheMode m = mode();
    if (m == CacheMode.OFF) {
      return null;
    }
    return "Response cache: " + m.wireName() + " (" + (file == null ? "in the --db database" : file.strip()) + ")";
  }
}
