package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.ProgressListener;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a user's listener and logs, rather than propagates, what it throws. */
final class SafeListener implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

  private final ProgressListener delegate;

  SafeListener(ProgressListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void batchStarted(Batch batch) {
    call("batchStarted", l -> l.batchStarted(batch));
  }

  @Override
  public void simulationStarted(Simulation simulation) {
    call("simulationStarted", l -> l.simulationStarted(simulation));
  }

  @Override
  public void simulationCompleted(Simulation simulation) {
    call("simulationCompleted", l -> l.simulationCompleted(simulation));
  }

  @Override
  public void simulationFailed(Simulation simulation) {
    call("simulationFailed", l -> l.simulationFailed(simulation));
  }

  @Override
  public void batchFinished(Batch batch) {
    call("batchFinished", l -> l.batchFinished(batch));
  }

  private void call(String event, Consumer<ProgressListener> action) {
    try {
      action.accept(delegate);
    } catch (RuntimeException e) {
      LOG.warn("progress listener failed on {}; ignored", event, e);
    }
  }
}
