package dev.cohort.core.internal.execution;

import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.Lease;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch coordinator's simulations claimed ahead of a free slot: claimed, their leases held and
 * renewed by the heartbeat like running ones, not yet started.
 *
 * <p>Why it exists: against a model of some latency, slots free one at a time, so a coordinator that
 * claims only for the slots free now makes one claim (three round trips on PostgreSQL) per
 * simulation. With this buffer a claim takes the free slots plus a page; a freed slot is handed a
 * buffered simulation with no round trip, and the next claim comes when the buffer runs below half.
 * The buffer is bounded ({@link #boundFor}) so one worker does not hoard the tail of a batch from
 * its peers: at worst its last page starts as soon as its own slots free, which at any rate of
 * rounds that needs a buffer at all is a fraction of one simulation's time.
 *
 * <p>Shared by the coordinator thread (which fills and takes) and the heartbeat (which reads the
 * leases and drops a lost one), hence synchronized.
 */
final class ClaimBuffer {
  /** Most simulations one coordinator holds unstarted, whatever its in-flight limit. */
  static final int MAX_BUFFERED = 64;

  private final int bound;
  private final Deque<ClaimedSimulation> buffered = new ArrayDeque<>();

  ClaimBuffer(int bound) {
    if (bound < 0) {
      throw new IllegalArgumentException("bound must be at least 0, was " + bound);
    }
    this.bound = bound;
  }

  /**
   * The buffer a coordinator of {@code maxInFlight} slots keeps: a quarter of its slots, at most
   * {@value #MAX_BUFFERED}; none when some model has an in-flight limit of its own, since a
   * buffered simulation holds no model slot and could not be sure of one when a global slot frees.
   */
  static int boundFor(int maxInFlight, boolean modelLimits) {
    return modelLimits ? 0 : Math.min(MAX_BUFFERED, maxInFlight / 4);
  }

  /** The most simulations this buffer holds. */
  int bound() {
    return bound;
  }

  /** The next buffered simulation, in claim order, or null when none is buffered. */
  synchronized @Nullable ClaimedSimulation take() {
    return buffered.pollFirst();
  }

  /** Buffers {@code claimed}; never more than the bound (the claim asked for no more). */
  synchronized void addAll(List<ClaimedSimulation> claimed) {
    if (buffered.size() + claimed.size() > bound) {
      throw new IllegalStateException("buffer of " + bound + " holds " + buffered.size()
          + " and was given " + claimed.size());
    }
    buffered.addAll(claimed);
  }

  synchronized int size() {
    return buffered.size();
  }

  /**
   * How many more to claim with the next claim: up to the bound once the buffer is below half of
   * it, else none (a claim per freed slot is what the buffer saves).
   */
  synchronized int refill() {
    return buffered.size() * 2 < bound ? bound - buffered.size() : 0;
  }

  /** The leases of the buffered simulations, for the heartbeat to renew. */
  synchronized List<Lease> leases() {
    List<Lease> leases = new ArrayList<>(buffered.size());
    for (ClaimedSimulation c : buffered) {
      leases.add(c.lease());
    }
    return leases;
  }

  /** Drops the buffered simulation whose lease was lost; returns whether it was buffered. */
  synchronized boolean remove(String simulationId) {
    for (Iterator<ClaimedSimulation> it = buffered.iterator(); it.hasNext(); ) {
      if (it.next().simulation().id().equals(simulationId)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /** Empties the buffer; returns what it held, to be given back. */
  synchronized List<ClaimedSimulation> drain() {
    List<ClaimedSimulation> all = new ArrayList<>(buffered);
    buffered.clear();
    return all;
  }
}
