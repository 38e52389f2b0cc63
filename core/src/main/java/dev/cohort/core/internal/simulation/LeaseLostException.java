package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.CohortException;

/**
 * A call may not start because the simulation's lease was lost (expired and taken over, released,
 * or its batch deleted): nothing more may be written for it here. Unlike {@link
 * BudgetReachedException} it says nothing about the batch, which goes on.
 */
public final class LeaseLostException extends CohortException {
  private static final long serialVersionUID = 1L;

  /** {@code simulationId} is the simulation whose lease was lost. */
  public LeaseLostException(String simulationId) {
    super("the lease on simulation " + simulationId + " was lost");
  }
}
