package dev.cohort.core.port;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's batch job as it last reported it.
 *
 * @param id the provider's job id ({@code batch_…})
 * @param state where the job is
 * @param inputFileId the uploaded input file
 * @param outputFileId the file of answered requests, once there is one
 * @param errorFileId the file of failed requests, once there is one
 * @param total requests in the job
 * @param completed requests answered so far
 * @param failed requests failed so far
 * @param createdAt when the provider created the job, or null when it did not say
 * @param error why the job failed (the provider's validation errors), or null
 */
public record BatchJob(
    String id,
    BatchJobState state,
    String inputFileId,
    @Nullable String outputFileId,
    @Nullable String errorFileId,
    long total,
    long completed,
    long failed,
    @Nullable Instant createdAt,
    @Nullable String error) {
  public BatchJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(inputFileId, "inputFileId");
  }
}
