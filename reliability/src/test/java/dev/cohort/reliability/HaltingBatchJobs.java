package dev.cohort.reliability;

import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.openai.OpenAiChatModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model for {@link OrphanJobCrashTest}'s doomed process: {@link OpenAiChatModel} in every way,
 * except that its first job submission halts the JVM ({@link Runtime#halt}: no shutdown hooks, no
 * finally blocks, as a SIGKILL would), either right after the provider accepted the job (before
 * the coordinator could store it) or just before the submission is sent.
 */
final class HaltingBatchJobs implements LlmPort, BatchJobPort {
  /** The exit status of the halt, which the test expects. */
  static final int HALT_STATUS = 77;

  /** When the first submission halts the JVM. */
  enum When {
    /** After the provider answered the job's creation: a job runs that nobody has stored. */
    AFTER_ACCEPT,
    /** Before anything is sent: no job exists. */
    BEFORE_SEND
  }

  private final OpenAiChatModel model;
  private final When when;

  HaltingBatchJobs(OpenAiChatModel model, When when) {
    this.model = model;
    this.when = when;
  }

  @Override
  public BatchJob submit(List<BatchJobRequest> requests) {
    return submit(requests, Map.of());
  }

  @Override
  public BatchJob submit(List<BatchJobRequest> requests, Map<String, String> metadata) {
    if (when == When.BEFORE_SEND) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    model.submit(requests, metadata);
    Runtime.getRuntime().halt(HALT_STATUS);
    throw new AssertionError("halted");
  }

  @Override
  public Optional<BatchJob> findJob(String key, String value, Instant createdNotBefore) {
    return model.findJob(key, value, createdNotBefore);
  }

  @Override
  public BatchJob job(String jobId) {
    return model.job(jobId);
  }

  @Override
  public List<BatchJobResult> results(BatchJob job) {
    return model.results(job);
  }

  @Override
  public BatchJob cancel(String jobId) {
    return model.cancel(jobId);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return model.chat(request);
  }

  @Override
  public String describe() {
    return model.describe();
  }

  @Override
  public Optional<String> modelName() {
    return model.modelName();
  }

  @Override
  public String endpoint() {
    return model.endpoint();
  }

  @Override
  public String requestSignature(ChatRequest request) {
    return model.requestSignature(request);
  }
}
