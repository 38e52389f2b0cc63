package dev.cohort.testkit;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.util.List;

/**
 * A model whose provider keeps every batch job in progress with one request done, so a {@code
 * batch_api} batch stays on its first job: the status, {@code batches show} and the progress line
 * can be checked against a job that does not move. Every job is {@value #JOB_ID}; a cancel answers
 * {@code cancelled}. Direct chat calls answer {@code {}} (a {@code batch_api} batch sends none).
 */
public final class JobsKeptInProgress implements LlmPort, BatchJobPort {
  /** The provider id of every job this model's provider accepts. */
  public static final String JOB_ID = "batch_kept_1";

  private volatile int total = 2;

  /** A provider with no job yet; the first job will report its request count as the total. */
  public JobsKeptInProgress() {
    // Declared for its Javadoc: the class is public API of the test kit.
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return ChatResponse.of("{}", TokenUsage.ZERO);
  }

  @Override
  public BatchJob submit(List<BatchJobRequest> requests) {
    total = requests.size();
    return job(JOB_ID);
  }

  @Override
  public BatchJob job(String jobId) {
    return new BatchJob(jobId, BatchJobState.IN_PROGRESS, "file-1", null, null, total, 1, 0, null, null);
  }

  @Override
  public List<BatchJobResult> results(BatchJob job) {
    return List.of();
  }

  @Override
  public BatchJob cancel(String jobId) {
    return new BatchJob(jobId, BatchJobState.CANCELLED, "file-1", null, null, total, 1, 0, null, null);
  }
}
