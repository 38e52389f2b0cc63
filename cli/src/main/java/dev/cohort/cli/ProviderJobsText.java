package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.internal.codec.ProviderJobsJson;
import dev.cohort.core.port.ProviderJob;
import java.io.PrintWriter;
import java.util.List;

/**
 * The provider job lines of {@code batches show} for a {@code batch_api} batch: each job running
 * now (not yet stored) with its provider id, status, request counts and when it was submitted.
 */
final class ProviderJobsText {
  private ProviderJobsText() {}

  /** Prints {@code Provider jobs:} and a line per current job; nothing for a direct batch. */
  static void print(PrintWriter out, Cohort cohort, Batch batch) {
    if (batch.request().execution() != Execution.BATCH_API) {
      return;
    }
    List<ProviderJob> current = ProviderJobsJson.current(cohort.providerJobs(batch.id()));
    out.println(current.isEmpty() ? "Provider jobs: none running" : "Provider jobs:");
    for (ProviderJob job : current) {
      out.println("  " + line(job));
    }
    out.flush();
  }

  /**
   * One job: {@code batch_abc in_progress, 120/500 requests done, 3 failed, submitted 2026-…Z}, then
   * {@code , model alpha} for a job of a registry model.
   */
  static String line(ProviderJob job) {
    return job.jobId() + " " + job.state().wireName() + ", " + job.completed() + "/" + job.total()
        + " requests done, " + job.failed() + " failed, submitted " + job.submittedAt()
        + (job.model() == null ? "" : ", model " + job.model());
  }
}
