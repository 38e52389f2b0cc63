package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.jdbc.JdbcRepository;
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

  private Session(JdbcRepository repository, Cohort cohort, String modelNotice) {
    this.repository = repository;
    this.cohort = cohort;
    this.modelNotice = modelNotice;
  }

  /**
   * A session for commands that only read and write the store: its {@link Cohort} has no model,
   * so it runs nothing and starts no thread.
   */
  static Session forStore(StoreOptions store) {
    return open(store, null, builder -> { });
  }

  /**
   * A session that runs simulations with the model {@code models} selects, further configured by
   * {@code settings}. Say which model with {@link #modelNotice()}.
   */
  static Session forRunning(StoreOptions store, ModelOptions models, Consumer<Cohort.Builder> settings) {
    models.validate();
    ModelOptions.Selected selected = models.select(System.getenv());
    return open(store, selected, builder -> {
      builder.llm(selected.llm());
      // Named after the machine and process, so "leased by …" tells a user which process holds what.
      builder.workerId(WorkerName.current());
      models.configure(builder);
      settings.accept(builder);
    });
  }

  private static Session open(StoreOptions store, ModelOptions.@Nullable Selected model,
      Consumer<Cohort.Builder> settings) {
    JdbcRepository repository = store.open();
    @Nullable Cohort cohort = null;
    try {
      Cohort.Builder builder = Cohort.builder().repository(repository);
      settings.accept(builder);
      cohort = builder.build();
      return new Session(repository, cohort, model == null ? "Model: none (read-only)" : model.notice());
    } finally {
      if (cohort == null) {
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
      repository.close();
    }
  }
}
