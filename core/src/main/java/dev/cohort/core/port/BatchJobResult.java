package dev.cohort.core.port;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One answered request of an ended {@link BatchJobPort} job: its answer, or the error the provider
 * wrote for it in the job's error file.
 *
 * @param customId the request's custom id
 * @param response the answer, or null when {@code error} says why there is none
 * @param error why the request failed (the provider's code and message), or null when answered
 */
public record BatchJobResult(String customId, @Nullable ChatResponse response, @Nullable String error) {
  public BatchJobResult {
    Objects.requireNonNull(customId, "customId");
    if ((response == null) == (error == null)) {
      throw new IllegalArgumentException("a result has either a response or an error, not both or neither");
    }
  }

  /** An answered request. */
  public static BatchJobResult answered(String customId, ChatResponse response) {
    return new BatchJobResult(customId, response, null);
  }

  /** A request the provider failed. */
  public static BatchJobResult failed(String customId, String error) {
    return new BatchJobResult(customId, null, error);
  }
}
