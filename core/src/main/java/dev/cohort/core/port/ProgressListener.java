package dev.cohort.core.port;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;

/**
 * Events as batches run. Called from worker threads, concurrently: implementations must be
 * thread-safe and quick. Every method does nothing by default. An exception thrown by a listener
 * is logged and ignored.
 */
public interface ProgressListener {
  /** Does nothing. */
  ProgressListener NONE = new ProgressListener() {};

  /** A worker started (or resumed) running the batch. */
  default void batchStarted(Batch batch) {}

  /** A worker claimed the simulation and is about to run it. */
  default void simulationStarted(Simulation simulation) {}

  /** The simulation completed and its result is stored. */
  default void simulationCompleted(Simulation simulation) {}

  /** The simulation failed and its error is stored. */
  default void simulationFailed(Simulation simulation) {}

  /** The batch reached a terminal status. */
  default void batchFinished(Batch batch) {}
}
