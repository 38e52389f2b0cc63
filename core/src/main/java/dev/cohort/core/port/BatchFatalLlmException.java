package dev.cohort.core.port;

import org.jspecify.annotations.Nullable;

/**
 * No call of the batch can succeed: bad credentials (401), no access (403) or no quota left (429
 * {@code insufficient_quota}). The runner stops the batch and stores this message as its error.
 */
public class BatchFatalLlmException extends LlmException {
  private static final long serialVersionUID = 1L;

  public BatchFatalLlmException(String message) {
    this(message, null, 0, null, null);
  }

  public BatchFatalLlmException(
      String message,
      @Nullable Throwable cause,
      int httpStatus,
      @Nullable String errorCode,
      @Nullable String requestId) {
    super(message, cause, httpStatus, errorCode, requestId);
  }
}
