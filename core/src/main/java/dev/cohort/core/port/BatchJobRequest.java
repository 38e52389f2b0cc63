package dev.cohort.core.port;

import java.util.Objects;

/**
 * One request of a {@link BatchJobPort} job.
 *
 * @param customId names the request in the job's results; at most 64 characters, distinct within a job
 * @param request the chat request, sent as the adapter sends it to its chat endpoint
 */
public record BatchJobRequest(String customId, ChatRequest request) {
  /** The longest custom id a provider takes. */
  public static final int MAX_CUSTOM_ID_LENGTH = 64;

  public BatchJobRequest {
    Objects.requireNonNull(customId, "customId");
    Objects.requireNonNull(request, "request");
    if (customId.isBlank() || customId.length() > MAX_CUSTOM_ID_LENGTH) {
      throw new IllegalArgumentException(
          "customId must be 1 to " + MAX_CUSTOM_ID_LENGTH + " characters, was '" + customId + "'");
    }
  }
}
