package dev.cohort.core.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of quality flags over a batch's simulations, as {@link Batch#flagCounts()} holds them: in
 * {@link QualityFlag} order, only flags with a positive count. Stores add each simulation's flags
 * (or each distinct flag set with how many simulations carry it) and read the result.
 */
public final class FlagCounts {
  private final EnumMap<QualityFlag, Long> counts = new EnumMap<>(QualityFlag.class);

  /** Empty counts. */
  public FlagCounts() {}

  /** Counts one more simulation carrying each of {@code flags}. */
  public FlagCounts add(Collection<QualityFlag> flags) {
    return add(flags, 1);
  }

  /** Counts {@code simulations} more simulations carrying each of {@code flags}. */
  public FlagCounts add(Collection<QualityFlag> flags, long simulations) {
    for (QualityFlag f : QualityFlags.canonical(flags)) {
      counts.merge(f, simulations, Long::sum);
    }
    return this;
  }

  /** The counts so far, in flag order, positive counts only; unmodifiable. */
  public Map<QualityFlag, Long> toMap() {
    return canonical(counts);
  }

  /**
   * The summary line's text: {@code "12 repetition, 3 refusal"}, most frequent first (ties in flag
   * order); {@code "none"} when no simulation is flagged.
   */
  public static String describe(Map<QualityFlag, Long> counts) {
    List<Map.Entry<QualityFlag, Long>> entries = new ArrayList<>(canonical(counts).entrySet());
    if (entries.isEmpty()) {
      return "none";
    }
    entries.sort(Map.Entry.<QualityFlag, Long>comparingByValue().reversed());
    List<String> parts = new ArrayList<>();
    for (Map.Entry<QualityFlag, Long> e : entries) {
      parts.add(e.getValue() + " " + e.getKey().wireName());
    }
    return String.join(", ", parts);
  }

  /** {@code counts} in flag order without zero counts; unmodifiable. */
  static Map<QualityFlag, Long> canonical(Map<QualityFlag, Long> counts) {
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
