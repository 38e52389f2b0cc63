package dev.cohort.core.port;

import org.jspecify.annotations.Nullable;

/**
 * This call cannot succeed however often it is sent (400, 404, 422, context too long): the
 * simulation fails with this message; the batch goes on.
 */
public class CallFatalLlmException extends LlmException {
  private static final long serialVersionUID = 1L;

  public CallFatalLlmException(String message) {
    this(message, null, 0, null, null);
  }

  public CallFatalLlmException(
      String message,
      @Nullable Throwable cause,
      int httpStatus,
      @Nullable String errorCode,
      @Nullable String requestId) {
    super(message, cause, httpStatus, errorCode, requestId);
  }
}
