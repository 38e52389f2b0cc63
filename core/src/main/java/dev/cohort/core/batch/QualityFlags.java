package dev.cohort.core.batch;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The one order of quality flags, kept by {@link Simulation#flags()} and {@link Batch#flagCounts()}. */
final class QualityFlags {
  private QualityFlags() {}

  /** {@code flags} in {@link QualityFlag} order, without repeats; unmodifiable. */
  static List<QualityFlag> canonical(Collection<QualityFlag> flags) {
    Objects.requireNonNull(flags, "flags");
    EnumSet<QualityFlag> set = EnumSet.noneOf(QualityFlag.class);
    for (QualityFlag f : flags) {
      set.add(Objects.requireNonNull(f, "flags must not contain null"));
    }
    return List.copyOf(set);
  }

  /** {@code counts} in flag order without zero counts; unmodifiable. */
  static Map<QualityFlag, Long> canonicalCounts(Map<QualityFlag, Long> counts) {
    Objects.requireNonNull(counts, "flagCounts");
    Map<QualityFlag, Long> sorted = new LinkedHashMap<>();
    for (QualityFlag f : QualityFlag.values()) {
      Long n = counts.get(f);
      if (n != null && n < 0) {
        throw new IllegalArgumentException("flagCounts." + f.wireName() + " must not be negative, was " + n);
      }
      if (n != null && n > 0) {
        sorted.put(f, n);
      }
    }
    return Collections.unmodifiableMap(sorted);
  }
}
