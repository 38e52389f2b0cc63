package dev.cohort.core.internal.design;

import java.util.Arrays;

/** A group (ascending pool indices) as a set key: equal when the members are. */
record GroupKey(int[] members) {
  @Override
  public boolean equals(Object o) {
    return o instanceof GroupKey g && Arrays.equals(members, g.members);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(members);
  }

  @Override
  public String toString() {
    return Arrays.toString(members);
  }
}
