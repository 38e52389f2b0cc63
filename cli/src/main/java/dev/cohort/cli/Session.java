package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.ModelRegistry;
import dev.cohort.jdbc.Dialect;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.jdbc.JdbcResponseCache;
import dev.cohort.jdbc.JdbcWorkerRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An open store and the {@link Cohort} on it, for the length of one command. Closing stops this
 * process's workers (what they held stays resumable) and then closes the store.
 */
final class Session implements AutoCloseable {
  private final JdbcRepository repository;
  private final Cohort cohort;
  private final String modelNotice;
  /** The response cache this session opened, or null. */
  private final @Nullable JdbcResponseCache cache;

  private Session(JdbcRepository repository, Cohort cohort, String modelNotice, @Nullable JdbcResponseCache cache) {
    this.repository = repository;
    this.cohort = cohort;
    this.modelNotice = modelNotice;
    this.cache = cache;
  }

  /**
   * A session for commands that only read and write the store: its {@link Cohort} has no model,
   * so it runs nothing and starts no thread.
   */
  static Session forStore(StoreOptions store) {
    return open(store, null, null, builder -> { });
  }

  /**
   * A session that only reads and writes the store, with the response cache {@code cache} names
   * (its {@code --cache} file, else the store's own tables) whatever its mode: {@code cache
   * export} and {@code cache import}.
   */
  static Session forCache(StoreOptions store, CacheOptions cache) {
    return open(store, null, cache, builder -> { });
  }

  /**
   * A session like {@link #forRunning(StoreOptions, ModelOptions, Consumer)} whose model calls go
   * through the response cache {@code cache} configures, when it configures one.
   */
  static Session forRunning(StoreOptions store, ModelOptions models, CacheOptions cache,
      Consumer<Cohort.Builder> settings) {
    models.validate();
    Map<String, String> env = System.getenv();
    @Nullable ModelRegistry registry = models.registry(env);
    ModelOptions.Selected chosen = models.select(env);
    // With a registry and no model of their own chosen, a batch naming no model runs on its first.
    boolean oneModel = registry == null || models.choosesOneModel(env);
    ModelOptions.Selected selected = registry == null ? chosen : new ModelOptions.Selected(chosen.llm(),
        (oneModel ? chosen.notice() + System.lineSeparator() : "") + ModelOptions.registryNotice(registry));
    return open(store, selected, cache.enabled() ? cache : null, builder -> {
      if (oneModel) {
        builder.llm(selected.llm());
      }
      if (registry != null) {
        builder.models(registry);
      }
      // Named after the machine and process, so "leased by …" tells a user which process holds what.
      builder.workerId(WorkerName.current());
      models.configure(builder);
      builder.cacheMode(cache.mode());
      settings.accept(builder);
    });
  }

  /**
   * A session that runs simulations with the model {@code models} selects, further configured by
   * {@code settings}. Say which model with {@link #modelNotice()}.
   */
  static Session forRunning(StoreOptions store, ModelOptions models, Consumer<Cohort.Builder> settings) {
    return forRunning(store, models, new CacheOptions(), settings);
  }

  private static Session open(StoreOptions store, ModelOptions.@Nullable Selected model,
      @Nullable CacheOptions cacheOptions, Consumer<Cohort.Builder> settings) {
    JdbcRepository repository = store.open();
    @Nullable Cohort cohort = null;
    @Nullable JdbcResponseCache cache = null;
    try {
      Cohort.Builder builder = Cohort.builder().repository(repository);
      if (cacheOptions != null) {
        cache = cacheOptions.open(repository, Path.of("").toAbsolutePath());
        builder.responseCache(cache);
      }
      settings.accept(builder);
      if (model != null && repository.dialect() == Dialect.POSTGRESQL) {
        // Workers of several processes share a PostgreSQL store, and with it the provider's limit:
        // each paces at its share. A SQLite file is one process's store, whose limiter is already
        // shared by all its batches; heartbeats there would only add writes to its single writer.
        builder.workerRegistry(JdbcWorkerRegistry.of(repository));
      }
      cohort = builder.build();
      return new Session(repository, cohort, model == null ? "Model: none (read-only)" : model.notice(), cache);
    } finally {
      if (cohort == null) {
        if (cache != null) {
          cache.close();
        }
        repository.close();
      }
    }
  }

  /** The facade over the store. */
  Cohort cohort() {
    return cohort;
  }

  /** One line saying which model runs the simulations and why, for standard error. */
  String modelNotice() {
    return modelNotice;
  }

  /** The store itself, for look-ups the facade does not offer. */
  JdbcRepository repository() {
    return repository;
  }

  @Override
  public void close() {
    try {
      cohort.close();
    } finally {
      try {
        if (cache != null) {
          cache.close();
        }
      } finally {
        repository.close();
      }
    }
  }
}
