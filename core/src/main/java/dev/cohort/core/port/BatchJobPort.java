package dev.cohort.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An optional capability of a {@link LlmPort}: running many chat requests as one asynchronous job
 * of the provider's batch API (OpenAI's and Azure OpenAI's {@code /v1/batches}), answered within a
 * day at a discount. A model that implements it can run a batch with execution {@code batch_api};
 * Cohort finds it with {@code instanceof}.
 *
 * <p>Every method is one or two HTTP calls and returns at once: the caller polls {@link #job}
 * until the job {@linkplain BatchJobState#isTerminal() ends}, then reads its {@link #results}.
 * Failures are {@link LlmException}s classified as {@link LlmPort#chat} classifies them.
 * Implementations are thread-safe.
 */
public interface BatchJobPort {
  /**
   * Uploads {@code requests} as one input file and creates a job that answers them.
   *
   * @param requests at least one; every custom id distinct
   * @return the job as the provider created it (usually {@link BatchJobState#VALIDATING})
   * @throws IllegalArgumentException when {@code requests} is empty or repeats a custom id
   */
  BatchJob submit(List<BatchJobRequest> requests);

  /**
   * Submits {@code requests} as {@link #submit(List)} does, with {@code metadata} stored on the job
   * at the provider, where {@link #findJob} finds it again. A port that cannot send metadata
   * ignores it (the default) and must then leave {@link #findJob} unsupported.
   *
   * @param metadata at most 15 pairs, keys up to 64 and values up to 512 characters
   */
  default BatchJob submit(List<BatchJobRequest> requests, Map<String, String> metadata) {
    return submit(requests);
  }

  /**
   * Finds the job this port submitted with {@code metadata[key] = value} among the provider's
   * jobs, looking from the newest back to those created at {@code createdNotBefore} (older jobs
   * are not read). How a process that died after the provider accepted a job, but before it was
   * stored, finds the job again instead of submitting the same requests twice.
   *
   * @return the job, or empty when the provider has no such job created since {@code createdNotBefore}
   * @throws UnsupportedOperationException when this port cannot list its provider's jobs (the
   *     default): then nobody can tell whether such a job exists
   */
  default Optional<BatchJob> findJob(String key, String value, Instant createdNotBefore) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list its provider's batch jobs");
  }

  /** The job as the provider now reports it. */
  BatchJob job(String jobId);

  /**
   * The answers of an ended job, read from its output and error files, in the order the provider
   * wrote them (not the input's); requests it did not answer (an expired or cancelled job's) are
   * absent. Empty when the job has neither file.
   */
  List<BatchJobResult> results(BatchJob job);

  /** Asks the provider to cancel the job; returns it as it then is (usually {@link BatchJobState#CANCELLING}). */
  BatchJob cancel(String jobId);
}
