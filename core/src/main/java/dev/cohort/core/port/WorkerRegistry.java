package dev.cohort.core.port;

import java.time.Duration;
import java.time.Instant;

/**
 * The live workers that share one provider limit, so that each paces its model calls at its share
 * of the limit instead of all of it. A worker calls {@link #heartbeat} every few seconds under the
 * limit's key (the model and where it answers) and paces at the limit divided by the count it gets
 * back; a worker whose last heartbeat is older than the timeout no longer counts, so the share of
 * a killed worker returns to the others, and {@link #leave} gives it back at once on a clean stop.
 *
 * <p>Times are the callers' clocks: workers on several machines need clocks that agree to well
 * within the timeout (NTP does). Implementations are thread-safe. The {@code cohort-testkit}
 * module's {@code WorkerRegistryContractTest} is the executable form of this contract.
 */
public interface WorkerRegistry {

  /**
   * Records that {@code workerId} is alive under {@code limitKey} at {@code now}, and returns how
   * many workers are: those under the same key whose last heartbeat is later than {@code now}
   * minus {@code timeout}, this one included (so at least 1). A later heartbeat of the same worker
   * replaces its earlier one; an implementation may forget workers that stopped counting.
   *
   * @throws IllegalArgumentException when a key or id is blank or {@code timeout} is not positive
   */
  int heartbeat(String limitKey, String workerId, Instant now, Duration timeout);

  /** Forgets {@code workerId} under {@code limitKey}, so it stops counting at once; idempotent. */
  void leave(String limitKey, String workerId);
}
