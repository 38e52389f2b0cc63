package dev.cohort.cli;

import dev.cohort.core.Cohort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every command that runs simulations in this process opens first: Ctrl-C and SIGTERM turned
 * into a request ({@link Interruption}) and a {@link Session} whose {@link Cohort} runs the model the
 * command's options select. {@code run}, {@code worker}, {@code serve} and every
 * {@link ContinueBatchCommand} share it, so each states only what it does with the running cohort.
 * Closing it stops this process's workers and closes the store, then lets a pending shutdown proceed.
 */
final class RunningSession implements AutoCloseable {
  private final Interruption interruption;
  private final Session session;
  private final StoreOptions store;

  private RunningSession(Interruption interruption, Session session, StoreOptions store) {
    this.interruption = interruption;
    this.session = session;
    this.store = store;
  }

  /**
   * Installs the interruption hook and opens a running session on {@code store} with the model
   * {@code models} selects, further configured by {@code settings}.
   */
  static RunningSession open(StoreOptions store, ModelOptions models, Consumer<Cohort.Builder> settings) {
    return open(store, models, new CacheOptions(), settings);
  }

  /**
   * A running session like {@link #open(StoreOptions, ModelOptions, Consumer)} whose model calls go
   * through the response cache {@code cache} configures, when it configures one.
   */
  static RunningSession open(StoreOptions store, ModelOptions models, CacheOptions cache,
      Consumer<Cohort.Builder> settings) {
    Interruption interruption = Interruption.install();
    try {
      return new RunningSession(interruption, Session.forRunning(store, models, cache, settings), store);
    } catch (RuntimeException e) {
      interruption.close();
      throw e;
    }
  }

  /** The facade that runs the simulations. */
  Cohort cohort() {
    return session.cohort();
  }

  /** The session itself, for the store's own look-ups. */
  Session session() {
    return session;
  }

  /** One line saying which model runs the simulations and why, for standard error. */
  String modelNotice() {
    return session.modelNotice();
  }

  /**
   * Waits up to {@code timeout} for Ctrl-C or SIGTERM.
   *
   * @return whether the process was asked to stop
   */
  boolean awaitStop(Duration timeout) throws InterruptedException {
    return interruption.awaitRequest(timeout);
  }

  /**
   * Follows batch {@code batchId} to its end with {@code watch}'s progress on {@code err}, prints the
   * summary on {@code out}, exports it to {@code export} unless interrupted, and returns the exit code
   * (see {@link BatchWatcher#followToEnd}).
   */
  int followToEnd(String batchId, WatchOptions watch, @Nullable ExportTarget export, PrintWriter out,
      PrintWriter err) {
    return new BatchWatcher(session.cohort(), watch, store, interruption, out, err).followToEnd(batchId, export);
  }

  @Override
  public void close() {
    // The reverse of opening: the session's workers stop and the store closes before a pending
    // shutdown is let go.
    try {
      session.close();
    } finally {
      interruption.close();
    }
  }
}
