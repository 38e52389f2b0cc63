package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.CohortException;

/** A call may not start: the batch's budget would be passed. The batch stops as cancelled. */
public final class BudgetReachedException extends CohortException {
  private static final long serialVersionUID = 1L;

  /** {@code message} says which cap was reached. */
  public BudgetReachedException(String message) {
    super(message);
  }
}
