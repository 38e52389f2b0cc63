package dev.cohort.core.internal.call;

import dev.cohort.core.port.Ticker;
import dev.cohort.core.port.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's place among the live workers of one provider limit, kept in a {@link
 * WorkerRegistry}: {@link #workers()} answers the last count, and once every {@code interval}
 * (on the thread that asks) first sends a heartbeat and reads the count again. A worker that stops
 * asking (killed, or idle with no model call to make) stops heartbeating, and after {@code
 * timeout} the others no longer count it; {@link #leave()} gives its share back at once.
 *
 * <p>When the registry fails (the store is unreachable), the last count stands and the failure is
 * logged: pacing goes on at the share last known rather than failing model calls.
 */
public final class LimitShare implements WorkerShare {
  /** How often a worker sends its heartbeat and re-reads the count, by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  /**
   * After how many missed heartbeats a worker stops counting: long enough that a busy machine's
   * late heartbeat does not drop a live worker, short enough that a killed worker's share returns
   * within seconds.
   */
  public static final int MISSED_HEARTBEATS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LimitShare.class);

  private final WorkerRegistry registry;
  private final String limitKey;
  private final String workerId;
  private final Clock clock;
  private final Ticker ticker;
  private final long intervalNanos;
  private final Duration timeout;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile int workers = 1;
  private volatile long nextRefresh;
  private volatile boolean joined;
  /** Set by {@link #leave()}: a call that answers after it must not join again. */
  private volatile boolean left;

  private LimitShare(WorkerRegistry registry, String limitKey, String workerId, Clock clock, Ticker ticker,
      Duration interval) {
    this.registry = registry;
    this.limitKey = limitKey;
    this.workerId = workerId;
    this.clock = clock;
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
    this.timeout = interval.multipliedBy(MISSED_HEARTBEATS);
    this.nextRefresh = ticker.nanos();
  }

  /**
   * A share of the limit under {@code limitKey} for {@code workerId}, which joins with its first
   * {@link #workers()} call.
   *
   * @param clock the wall clock written with heartbeats (workers on several machines compare them)
   * @param ticker when the next heartbeat is due
   * @param interval how often to send a heartbeat; a worker stops counting after {@link
   *     #MISSED_HEARTBEATS} of them
   * @throws IllegalArgumentException when a key or id is blank or {@code interval} is not positive
   */
  public static LimitShare of(WorkerRegistry registry, String limitKey, String workerId, Clock clock, Ticker ticker,
      Duration interval) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ticker, "ticker");
    if (limitKey == null || limitKey.isBlank()) {
      throw new IllegalArgumentException("limitKey must not be blank");
    }
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("workerId must not be blank");
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    return new LimitShare(registry, limitKey, workerId, clock, ticker, interval);
  }

  @Override
  public int workers() {
    if (left) {
      return workers;
    }
    long now = ticker.nanos();
    // One thread refreshes; the others go on with the count they have.
    if (now - nextRefresh >= 0 && refreshing.compareAndSet(false, true)) {
      try {
        int live = registry.heartbeat(limitKey, workerId, clock.instant(), timeout);
        joined = true;
        if (live != workers) {
          LOG.info("{} workers share the provider limit of {}", live, limitKey);
        }
        workers = Math.max(1, live);
      } catch (RuntimeException e) {
        LOG.warn("could not record this worker's heartbeat (pacing on at 1/{} of the limit): {}", workers,
            e.getMessage());
      } finally {
        nextRefresh = now + intervalNanos;
        refreshing.set(false);
      }
    }
    return workers;
  }

  /**
   * Leaves the live workers, so the others take this one's share at their next heartbeat; no
   * heartbeat is sent after it (a call still in flight that answers later does not rejoin).
   */
  public void leave() {
    left = true;
    if (!joined) {
      return;
    }
    try {
      registry.leave(limitKey, workerId);
    } catch (RuntimeException e) {
      LOG.warn("could not remove this worker from the live workers (its share returns after {} ms): {}",
          timeout.toMillis(), e.getMessage());
    }
  }

  /** The key of the shared limit. */
  public String limitKey() {
    return limitKey;
  }
}
