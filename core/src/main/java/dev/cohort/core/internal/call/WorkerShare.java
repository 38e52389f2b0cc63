package dev.cohort.core.internal.call;

/**
 * How many workers share a rate limit right now: a {@link SharedRateLimiter} paces at the limit
 * divided by this count. Asked often (at each call and while callers wait), so implementations
 * answer from memory and refresh only now and then.
 */
@FunctionalInterface
public interface WorkerShare {
  /** A worker alone with its limit, the default. */
  WorkerShare ALONE = () -> 1;

  /** The number of workers sharing the limit, this one included: at least 1. */
  int workers();
}
