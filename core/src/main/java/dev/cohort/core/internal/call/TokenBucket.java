package dev.cohort.core.internal.call;

/**
 * A token bucket on an injected nanosecond clock: it refills continuously at a fixed rate up to a
 * small capacity. A take larger than the capacity waits for a full bucket and then leaves the
 * bucket in debt, so one large call delays the next ones by exactly its cost. Not thread-safe; its
 * owner locks.
 */
final class TokenBucket {
  private double perNano;
  private double capacity;
  private double level;
  private long updatedAt;

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

  /** Returns {@code amount} to the bucket, never above its capacity. */
  void give(double amount, long now) {
    refill(now);
    level = Math.min(capacity, level + amount);
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
      level = Math.min(capacity, level + elapsed * perNano);
      updatedAt = now;
    }
  }
}
