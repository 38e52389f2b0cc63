package dev.cohort.core.batch;

import org.jspecify.annotations.Nullable;

/** Root of every exception Cohort throws. Unchecked: a caller catches only what it can act on. */
public class CohortException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CohortException(String message) {
    super(message);
  }

  public CohortException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
