package dev.cohort.core.internal.batchapi;

import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.SubmissionIntent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits provider jobs so that no job is ever orphaned: an intent (the job's requests and a fresh
 * submission key) is stored before the job is submitted with the key in its metadata, and the job
 * replaces the intent once the provider has accepted it. A process that dies between the two
 * leaves the intent behind; {@link #recover} then finds the job at the provider by its key and
 * stores it (to be polled, never submitted again), or, when the provider has no such job, drops
 * the intent so its requests are submitted anew. With several models, an intent's job is looked for
 * at every provider that runs jobs here (its key is unique), and stored for the model whose
 * provider has it.
 */
final class IntendedSubmissions {
  private static final Logger LOG = LoggerFactory.getLogger(IntendedSubmissions.class);
  /**
   * How far before an intent the provider's job list is still read: the provider stamps the job by
   * its own clock, which may lag this process's.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final BatchStore store;
  private final BatchJobPorts jobs;
  private final Clock clock;

  IntendedSubmissions(BatchStore store, BatchJobPorts jobs, Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.clock = clock;
  }

  /**
   * Stores the intent, submits {@code part} as one job carrying its key, then stores the job and
   * clears the intent. When the submission throws, the intent stays: the provider may
   * have accepted the job all the same (a timeout after it did), and {@link #recover} finds out.
   */
  ProviderJob submit(String batchId, BatchJobPort port, @Nullable String model, List<BatchJobRequest> part) {
    List<String> ids = new ArrayList<>(part.size());
    part.forEach(r -> ids.add(r.customId()));
    SubmissionIntent intent = SubmissionIntent.fresh(batchId, ids, clock.instant());
    store.saveSubmissionIntent(intent);
    BatchJob job = port.submit(part, intent.metadata());
    ProviderJob stored = ProviderJob.submitted(batchId, job, ids, clock.instant(), model);
    store.saveProviderJob(stored);
    store.deleteSubmissionIntent(intent);
    return stored;
  }

  /**
   * Resolves every intent of the batch a stopped process left: a job already stored for it clears
   * it; a job the provider has under its key is stored as submitted at the intent's time; with no
   * such job (or a port that cannot list jobs, which is logged) the intent is dropped and its
   * requests are submitted again by the coordinator's next round. Failures to read the provider
   * propagate and leave the intent for the next try.
   */
  void recover(String batchId) {
    List<SubmissionIntent> open = store.findSubmissionIntents(batchId);
    if (open.isEmpty()) {
      return;
    }
    Set<String> storedIds = new HashSet<>();
    for (ProviderJob j : store.findProviderJobs(batchId)) {
      storedIds.addAll(j.customIds());
    }
    for (SubmissionIntent intent : open) {
      if (intent.customIds().stream().anyMatch(storedIds::contains)) {
        store.deleteSubmissionIntent(intent);
        continue;
      }
      @Nullable Found found;
      try {
        found = find(intent);
      } catch (UnsupportedOperationException e) {
        LOG.warn("batch {}: a submission of {} requests may have reached the provider before this process stopped,"
            + " but {}; submitting them again", batchId, intent.customIds().size(), e.getMessage());
        store.deleteSubmissionIntent(intent);
        continue;
      }
      if (found != null) {
        LOG.info("batch {}: adopted provider job {}, accepted before the process that submitted it stopped",
            batchId, found.job().id());
        store.saveProviderJob(ProviderJob.submitted(batchId, found.job(), intent.customIds(), intent.createdAt(),
            found.model()));
        store.deleteSubmissionIntent(intent);
      } else {
        LOG.info("batch {}: the provider has no job of an interrupted submission of {} requests; submitting them"
            + " again", batchId, intent.customIds().size());
        store.deleteSubmissionIntent(intent);
      }
    }
  }

  /** A job found at the provider of registry model {@code model} (null: the one model). */
  private record Found(BatchJob job, @Nullable String model) {}

  /**
   * The intent's job at whichever provider has it, or null when none has; a provider that cannot
   * list its jobs is skipped, and when none can, the port's answer is thrown.
   */
  private @Nullable Found find(SubmissionIntent intent) {
    @Nullable UnsupportedOperationException unsupported = null;
    boolean listed = false;
    for (String model : jobs.modelsWithJobs()) {
      Optional<BatchJob> job;
      try {
        job = jobs.require(model).findJob(SubmissionIntent.METADATA_KEY, intent.key(),
            intent.createdAt().minus(CLOCK_SKEW));
      } catch (UnsupportedOperationException e) {
        unsupported = e;
        continue;
      }
      listed = true;
      if (job.isPresent()) {
        return new Found(job.get(), model);
      }
    }
    if (!listed && unsupported != null) {
      throw unsupported;
    }
    return null;
  }
}
