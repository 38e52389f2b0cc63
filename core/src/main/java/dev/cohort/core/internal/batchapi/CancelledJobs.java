package dev.cohort.core.internal.batchapi;

import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider side of cancelling a {@code batch_api} batch: asks the provider to cancel every
 * stored job not ended yet (each at its own model's provider), then reads them until they are {@code cancelled} (OpenAI keeps a job
 * {@code cancelling} for up to ten minutes, and its output file then holds the requests it finished)
 * or a time limit passes, storing each new state. The coordinator stores the ended jobs' answers as
 * rounds while it still holds the simulations; a job still cancelling at the limit stays stored
 * unapplied, and whoever resumes the batch stores its answers.
 */
final class CancelledJobs {
  private static final Logger LOG = LoggerFactory.getLogger(CancelledJobs.class);
  /** Longest wait for jobs to end after a cancel: well within the minute a cancel waits for its run. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /** Longest pause between two reads while waiting, whatever the poll interval. */
  private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

  private final BatchStore store;
  private final BatchJobPorts jobs;
  private final Clock clock;
  private final Sleeper sleeper;

  CancelledJobs(BatchStore store, BatchJobPorts jobs, Clock clock, Sleeper sleeper) {
    this.store = store;
    this.jobs = jobs;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Cancels the batch's open jobs at the provider and waits, up to {@code wait}, until they have
   * ended.
   *
   * @return the batch's unapplied jobs that have ended, to be applied
   */
  List<ProviderJob> cancelAndAwaitEnd(String batchId, Duration pollInterval, Duration wait) {
    List<ProviderJob> open = new ArrayList<>();
    for (ProviderJob job : store.findProviderJobs(batchId)) {
      if (job.applied()) {
        continue;
      }
      if (!job.state().isTerminal()) {
        try {
          job = job.with(jobs.require(job.model()).cancel(job.jobId()));
          store.saveProviderJob(job);
        } catch (RuntimeException e) {
          LOG.warn("could not cancel provider job {} of batch {}", job.jobId(), batchId, e);
        }
      }
      open.add(job);
    }
    Instant deadline = clock.instant().plus(wait);
    Duration pause = pollInterval.compareTo(MAX_PAUSE) < 0 ? pollInterval : MAX_PAUSE;
    while (!allEnded(open) && clock.instant().isBefore(deadline)) {
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      for (int i = 0; i < open.size(); i++) {
        ProviderJob job = open.get(i);
        if (job.state().isTerminal()) {
          continue;
        }
        try {
          ProviderJob now = job.with(jobs.require(job.model()).job(job.jobId()));
          if (now.state() != job.state()) {
            store.saveProviderJob(now);
          }
          open.set(i, now);
        } catch (LlmException e) {
          LOG.warn("could not read cancelled provider job {}; will try again: {}", job.jobId(), e.getMessage());
        }
      }
    }
    List<ProviderJob> ended = new ArrayList<>();
    for (ProviderJob job : open) {
      if (job.state().isTerminal()) {
        ended.add(job);
      } else {
        LOG.info("provider job {} of batch {} is still {}; its answers are stored when the batch is resumed",
            job.jobId(), batchId, job.state().wireName());
      }
    }
    return ended;
  }

  private static boolean allEnded(List<ProviderJob> jobs) {
    for (ProviderJob job : jobs) {
      if (!job.state().isTerminal()) {
        return false;
      }
    }
    return true;
  }
}
