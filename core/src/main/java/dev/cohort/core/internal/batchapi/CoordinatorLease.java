package dev.cohort.core.internal.batchapi;

import dev.cohort.core.port.WorkQueue;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's side of a {@code batch_api} batch's coordinator lease ({@link
 * WorkQueue#acquireCoordinator}): only its holder claims the batch's simulations and submits their
 * rounds, so two processes running the same batch never submit one round twice. The runner's
 * heartbeat {@link #renew renews} it with the simulation leases; a holder that loses it (it stalled
 * past the lease and another worker took over) stops coordinating. Thread-safe: the heartbeat renews
 * while the coordinator thread reads.
 */
public final class CoordinatorLease {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLease.class);

  private final WorkQueue queue;
  private final String batchId;
  private final String owner;
  private final Duration duration;
  private volatile boolean held;

  /**
   * @param duration how long the lease lasts unrenewed: the same as the simulation leases, so a
   *     dead holder's batch is taken over when its simulations are
   */
  public CoordinatorLease(WorkQueue queue, String batchId, String owner, Duration duration) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.batchId = Objects.requireNonNull(batchId, "batchId");
    this.owner = Objects.requireNonNull(owner, "owner");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    this.duration = duration;
  }

  /** Takes the lease if it is free or expired (or renews it); returns whether this worker holds it. */
  public boolean tryAcquire() {
    held = queue.acquireCoordinator(batchId, owner, duration);
    return held;
  }

  /** Whether this worker held the lease at its last acquire or renewal. */
  public boolean held() {
    return held;
  }

  /**
   * Renews the lease if this worker holds it (the heartbeat's call); a lease found taken over is
   * held no more, and the coordinator stops at its next look.
   */
  public void renew() {
    if (held && !queue.renewCoordinator(batchId, owner, duration)) {
      held = false;
      LOG.warn("the coordinator lease of batch {} was taken over by another worker; stopping here", batchId);
    }
  }

  /**
   * Renews the lease now and says whether this worker still holds it: asked right before a job is
   * submitted, so that a worker that stalled past its lease does not submit what the new holder
   * submits too.
   */
  public boolean confirm() {
    renew();
    return held;
  }

  /** Gives the lease up (a clean stop), so another worker takes the batch over at once. */
  public void release() {
    if (held) {
      held = false;
      queue.releaseCoordinator(batchId, owner);
    }
  }

  /** How often a worker that does not hold the lease looks again: a quarter of its duration. */
  public Duration pollInterval() {
    Duration quarter = duration.dividedBy(4);
    return quarter.isZero() ? Duration.ofMillis(1) : quarter;
  }
}
