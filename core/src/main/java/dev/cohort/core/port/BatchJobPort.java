package dev.cohort.core.port;

import java.util.List;

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
