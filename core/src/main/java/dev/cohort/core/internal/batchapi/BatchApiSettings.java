package dev.cohort.core.internal.batchapi;

import java.time.Duration;

/**
 * How the batch API coordinator submits and polls jobs.
 *
 * @param pollInterval how long between two reads of a running job's status
 * @param maxRequestsPerJob most requests in one job (OpenAI: 50,000)
 * @param maxBytesPerJob most bytes of one job's input file (OpenAI: 200 MB)
 * @param maxAttempts tries of one request when the provider fails it or leaves it unanswered
 * @param maxReasks re-asks per round when an answer is unusable, as in direct mode
 * @param transcriptWindow most characters of earlier transcript shown to the model, as in direct mode
 */
public record BatchApiSettings(Duration pollInterval, int maxRequestsPerJob, long maxBytesPerJob, int maxAttempts,
    int maxReasks, int transcriptWindow) {
  /** OpenAI's limit on the requests of one batch job. */
  public static final int DEFAULT_MAX_REQUESTS_PER_JOB = 50_000;
  /** OpenAI's limit on the size of one batch input file. */
  public static final long DEFAULT_MAX_BYTES_PER_JOB = 200L * 1024 * 1024;
  /** How often a running job is read unless set: jobs take minutes to hours. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);

  public BatchApiSettings {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
    }
    if (maxRequestsPerJob < 1) {
      throw new IllegalArgumentException("maxRequestsPerJob must be at least 1, was " + maxRequestsPerJob);
    }
    if (maxBytesPerJob < 1) {
      throw new IllegalArgumentException("maxBytesPerJob must be at least 1, was " + maxBytesPerJob);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }
}
