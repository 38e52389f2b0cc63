package dev.cohort.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A provider batch job about to be submitted, stored before the submission (execution {@code
 * batch_api}): which requests it carries and the key it is sent with in the job's metadata. It is
 * cleared once the job is stored. An intent that outlives its process (one that died between the
 * provider accepting the job and the store saving it) tells the next run to look for the job at
 * the provider by its key, and to adopt it rather than submit the same requests again.
 *
 * @param batchId the batch the job works for
 * @param key the submission key, sent as the job's {@value #METADATA_KEY} metadata; unique
 * @param customIds the custom ids of the job's requests
 * @param createdAt when the intent was stored, just before the submission
 */
public record SubmissionIntent(String batchId, String key, List<String> customIds, Instant createdAt) {
  /** The job metadata key that carries the submission key. */
  public static final String METADATA_KEY = "cohort_submission";
  /** The job metadata key that carries the batch id (for a person reading the provider's job list). */
  public static final String BATCH_METADATA_KEY = "cohort_batch";
  /** The longest key or batch id a provider takes as a metadata value. */
  private static final int MAX_METADATA_VALUE = 512;

  public SubmissionIntent {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
    if (key.isBlank() || key.length() > MAX_METADATA_VALUE) {
      throw new IllegalArgumentException("key must be 1 to " + MAX_METADATA_VALUE + " characters, was '" + key + "'");
    }
    customIds = List.copyOf(customIds);
    if (customIds.isEmpty()) {
      throw new IllegalArgumentException("customIds: an intent names at least one request");
    }
  }

  /** A new intent with a fresh random key, for the requests named by {@code customIds}. */
  public static SubmissionIntent fresh(String batchId, List<String> customIds, Instant now) {
    return new SubmissionIntent(batchId, UUID.randomUUID().toString(), customIds, now);
  }

  /** The metadata the job is submitted with: the submission key, and the batch id when it fits. */
  public Map<String, String> metadata() {
    return batchId.length() <= MAX_METADATA_VALUE
        ? Map.of(METADATA_KEY, key, BATCH_METADATA_KEY, batchId) : Map.of(METADATA_KEY, key);
  }
}
