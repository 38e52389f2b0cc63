package dev.cohort.core.internal.design;

/**
 * How often each pair of pool indices has met: a dense triangle for small pools, an
 * open-addressing table of (pair key → count) for large ones, so memory follows the pairs that
 * actually meet (at most C(k,2) per group).
 */
final class PairCounts {
  /** Pools up to this size use a dense triangle (at most 8 MiB of ints). */
  private static final int DENSE_LIMIT = 2_048;

  private final int n;
  private final int[] dense;
  private long[] keys;
  private int[] values;
  private int size;

  PairCounts(int n) {
    this.n = n;
    if (n <= DENSE_LIMIT) {
      dense = new int[n * (n - 1) / 2 + 1];
      keys = new long[0];
      values = new int[0];
    } else {
      dense = new int[0];
      keys = new long[1 << 10];
      java.util.Arrays.fill(keys, -1);
      values = new int[1 << 10];
    }
  }

  int get(int a, int b) {
    if (dense.length > 0) {
      return dense[index(a, b)];
    }
    int slot = find(key(a, b));
    return keys[slot] < 0 ? 0 : values[slot];
  }

  void add(int a, int b, int delta) {
    if (dense.length > 0) {
      dense[index(a, b)] += delta;
      return;
    }
    long key = key(a, b);
    int slot = find(key);
    if (keys[slot] < 0) {
      keys[slot] = key;
      size++;
      values[slot] = delta;
      if (size * 2 > keys.length) {
        grow();
      }
    } else {
      values[slot] += delta;
    }
  }

  /** Adds one to every pair of the group. */
  void addGroup(int[] group) {
    for (int i = 0; i < group.length; i++) {
      for (int j = i + 1; j < group.length; j++) {
        add(group[i], group[j], 1);
      }
    }
  }

  /** The sum of the counts of {@code candidate} with each of the first {@code size} members. */
  int score(int candidate, int[] members, int size) {
    int total = 0;
    for (int i = 0; i < size; i++) {
      total += get(candidate, members[i]);
    }
    return total;
  }

  /** Hands every pair that met at least once to {@code action} as (count). */
  void forEachCount(java.util.function.IntConsumer action) {
    if (dense.length > 0) {
      int pairs = n * (n - 1) / 2;
      for (int i = 0; i < pairs; i++) {
        if (dense[i] > 0) {
          action.accept(dense[i]);
        }
      }
      return;
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] >= 0 && values[i] > 0) {
        action.accept(values[i]);
      }
    }
  }

  private int index(int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    return hi * (hi - 1) / 2 + lo;
  }

  private long key(int a, int b) {
    return (long) Math.min(a, b) * n + Math.max(a, b);
  }

  private int find(long key) {
    int mask = keys.length - 1;
    int slot = (int) mix(key) & mask;
    while (keys[slot] >= 0 && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    java.util.Arrays.fill(keys, -1);
    values = new int[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] >= 0) {
        int slot = find(oldKeys[i]);
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
