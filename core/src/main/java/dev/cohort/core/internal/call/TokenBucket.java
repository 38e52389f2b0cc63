package dev.cohort.core.internal.call;

/**
 * A token bucket on an injected nanosecond clock: it refills continuously at a fixed rate up to a
 * small capacity. A take larger than the capacity waits for a full bucket and then leaves the
 * bucket in debt, so one large call delays the next ones by exactly its cost. What is given back
 * (an overestimate corrected) is never cut at the capacity: it was taken earlier, and losing it
 * would leave the rate below what was asked for. Not thread-safe; its owner locks.
 */
final class TokenBucket {
  /** How far a bucket waited for may fill, in capacities. */
  private static final double CATCH_UP = 2;

  private double perNano;
  private double capacity;
  private double level;
  private long updatedAt;
  /** Whether a caller is waiting for this bucket: then refilling is not cut at the capacity. */
  private boolean awaited;

  /**
   * @param perSecond refill rate, positive
   * @param capacity the most the bucket holds, positive
   * @param level what it holds now
   * @param now the clock's current reading
   */
  TokenBucket(double perSecond, double capacity, double level, long now) {
    this.perNano = perSecond / 1e9;
    this.capacity = capacity;
    this.level = Math.min(level, capacity);
    this.updatedAt = now;
  }

  /** Nanoseconds until {@code amount} may be taken: 0 when it may be taken now. */
  long nanosUntil(double amount, long now) {
    refill(now);
    double needed = Math.min(amount, capacity);
    if (level >= needed) {
      return 0;
    }
    if (perNano <= 0) {
      return Long.MAX_VALUE;
    }
    return (long) Math.ceil((needed - level) / perNano);
  }

  /** Takes {@code amount}, going into debt when the bucket holds less. */
  void take(double amount, long now) {
    refill(now);
    level -= amount;
  }

  /** Returns {@code amount} that was taken too much, whole, even above the capacity. */
  void give(double amount, long now) {
    refill(now);
    level += amount;
  }

  /**
   * Says whether a caller waits for this bucket from now on. While one does, refilling is not cut
   * at the capacity, so the time between the moment the caller could have gone and the moment it
   * woke up is not lost.
   */
  void awaited(boolean awaited, long now) {
    refill(now);
    this.awaited = awaited;
  }

  /** Changes the rate and capacity from now on; what the bucket holds is kept (capped). */
  void retune(double perSecond, double newCapacity, long now) {
    refill(now);
    perNano = perSecond / 1e9;
    capacity = newCapacity;
    level = Math.min(level, capacity);
  }

  private void refill(long now) {
    long elapsed = now - updatedAt;
    if (elapsed > 0) {
      // Refilling stops at the capacity, unless a caller waits: one that wakes up late (a busy
      // machine oversleeps) takes what it earned meanwhile, or the rate would fall short by every
      // oversleep. What was given back above the capacity stays until taken.
      if (awaited) {
        // At most one more capacity's worth: a late waker catches up, but never in a burst that
        // a per-second count would see (a refund above that stays, it was taken earlier).
        level = Math.min(level + elapsed * perNano, Math.max(level, CATCH_UP * capacity));
      } else if (level < capacity) {
        level = Math.min(capacity, level + elapsed * perNano);
      }
      updatedAt = now;
    }
  }
}
