package dev.cohort.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider batch job submitted for a batch with execution {@code batch_api}, as the store keeps
 * it: which job it is, which simulation rounds it carries, how far it got, and whether its answers
 * have been stored. Stored as soon as the provider has accepted the job, before anything else
 * happens, so a restarted process (or another worker) polls it instead of submitting its rounds again.
 *
 * @param batchId the batch the job works for
 * @param jobId the provider's job id; taken as unique among the batch's jobs even across providers,
 *     as OpenAI's and Azure OpenAI's (random) ids are
 * @param state the job's state when last read
 * @param inputFileId the uploaded input file
 * @param outputFileId the output file, once the job has one
 * @param errorFileId the error file, once the job has one
 * @param total requests in the job
 * @param completed requests answered, when last read
 * @param failed requests failed, when last read
 * @param customIds the custom ids of the job's requests (each names a simulation, round, re-ask and try)
 * @param submittedAt when the job was submitted
 * @param applied whether its answers have been stored (then it is history)
 * @param model the registry name of the model whose provider runs the job (every request of a job is
 *     for one model); null for the {@code Cohort}'s one model. A resumed run polls the job there.
 */
public record ProviderJob(
    String batchId,
    String jobId,
    BatchJobState state,
    String inputFileId,
    @Nullable String outputFileId,
    @Nullable String errorFileId,
    long total,
    long completed,
    long failed,
    List<String> customIds,
    Instant submittedAt,
    boolean applied,
    @Nullable String model) {
  public ProviderJob {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(inputFileId, "inputFileId");
    customIds = List.copyOf(customIds);
    Objects.requireNonNull(submittedAt, "submittedAt");
  }

  /** A job of the {@code Cohort}'s one model (no registry name). */
  public ProviderJob(String batchId, String jobId, BatchJobState state, String inputFileId,
      @Nullable String outputFileId, @Nullable String errorFileId, long total, long completed, long failed,
      List<String> customIds, Instant submittedAt, boolean applied) {
    this(batchId, jobId, state, inputFileId, outputFileId, errorFileId, total, completed, failed, customIds,
        submittedAt, applied, null);
  }

  /** A job just submitted: as the provider reported it, carrying {@code customIds}, not applied. */
  public static ProviderJob submitted(String batchId, BatchJob job, List<String> customIds, Instant at) {
    return submitted(batchId, job, customIds, at, null);
  }

  /**
   * A job just submitted to the provider of registry model {@code model} (null: the {@code Cohort}'s
   * one model): as the provider reported it, carrying {@code customIds}, not applied.
   */
  public static ProviderJob submitted(String batchId, BatchJob job, List<String> customIds, Instant at,
      @Nullable String model) {
    return new ProviderJob(batchId, job.id(), job.state(), job.inputFileId(), job.outputFileId(), job.errorFileId(),
        job.total(), job.completed(), job.failed(), customIds, at, false, model);
  }

  /** This job with the provider's latest report of it. */
  public ProviderJob with(BatchJob job) {
    return new ProviderJob(batchId, jobId, job.state(), inputFileId, job.outputFileId(), job.errorFileId(),
        job.total(), job.completed(), job.failed(), customIds, submittedAt, applied, model);
  }

  /** This job, its answers stored. */
  public ProviderJob asApplied() {
    return new ProviderJob(batchId, jobId, state, inputFileId, outputFileId, errorFileId, total, completed, failed,
        customIds, submittedAt, true, model);
  }

  /** The job as the {@link BatchJobPort} reads it. */
  public BatchJob asBatchJob() {
    return new BatchJob(jobId, state, inputFileId, outputFileId, errorFileId, total, completed, failed, null, null);
  }
}
