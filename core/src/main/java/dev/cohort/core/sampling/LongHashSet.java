package dev.cohort.core.sampling;

/**
 * A set of {@code long}s with open addressing and linear probing: one array of primitives, no
 * object per element, so the sampler's duplicate check costs 8–16 bytes per combination instead of
 * a boxed key and a hash-map entry. Grows by doubling past a load of 3/4. Not thread-safe.
 */
final class LongHashSet {
  /** The largest table: 2^30 slots; past 3/4 of it the set refuses to grow. */
  private static final int MAX_CAPACITY = 1 << 30;
  /** 2^64 / φ: Fibonacci hashing spreads consecutive keys (colex ranks) over the table. */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Slots; 0 means empty, so the key 0 lives in {@link #hasZero} instead. */
  private long[] slots;
  private int shift;
  private int size;
  private boolean hasZero;

  /** An empty set that holds {@code expected} keys without growing. */
  LongHashSet(int expected) {
    if (expected < 0) {
      throw new IllegalArgumentException("expected must not be negative, was " + expected);
    }
    int capacity = 16;
    while (capacity < MAX_CAPACITY && capacity * 3L / 4 < expected) {
      capacity <<= 1;
    }
    allocate(capacity);
  }

  /** Adds {@code key}; returns whether it was absent. */
  boolean add(long key) {
    if (key == 0) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size++;
      return true;
    }
    int mask = slots.length - 1;
    for (int i = index(key); ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        slots[i] = key;
        size++;
        if (size > slots.length * 3L / 4) {
          grow();
        }
        return true;
      }
      if (slot == key) {
        return false;
      }
    }
  }

  /** Whether {@code key} is in the set. */
  boolean contains(long key) {
    if (key == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = index(key); ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        return false;
      }
      if (slot == key) {
        return true;
      }
    }
  }

  /** How many keys the set holds. */
  int size() {
    return size;
  }

  /** How many slots the table has now (for tests of growth). */
  int capacity() {
    return slots.length;
  }

  private int index(long key) {
    return (int) ((key * GOLDEN) >>> shift);
  }

  private void allocate(int capacity) {
    slots = new long[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  private void grow() {
    if (slots.length >= MAX_CAPACITY) {
      throw new IllegalStateException("a set of " + size + " keys is larger than this set can hold");
    }
    long[] old = slots;
    allocate(old.length << 1);
    int mask = slots.length - 1;
    for (long key : old) {
      if (key != 0) {
        int i = index(key);
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = key;
      }
    }
  }
}
