package dev.cohort.core.internal.call;

import dev.cohort.core.port.BatchFatalLlmException;

/**
 * A batch-fatal failure (bad key, no access, no quota) of one named model: no call to that model
 * can succeed, but the batch's other models still can, so only its simulations fail.
 */
public final class ModelFatalLlmException extends BatchFatalLlmException {
  private static final long serialVersionUID = 1L;

  private final String model;

  /** Wraps {@code cause}, met by a call to the registry name {@code model}. */
  public ModelFatalLlmException(String model, BatchFatalLlmException cause) {
    super("model " + model + ": " + cause.getMessage(), cause, cause.httpStatus(), cause.errorCode(),
        cause.requestId());
    this.model = model;
  }

  /** The registry name of the model that failed. */
  public String model() {
    return model;
  }
}
