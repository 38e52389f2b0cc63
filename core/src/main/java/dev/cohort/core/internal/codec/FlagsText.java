package dev.cohort.core.internal.codec;

import dev.cohort.core.batch.QualityFlag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text forms of quality flags: a simulation's flags as a store and the CSV keep them ({@code
 * "refusal,repetition"}: wire names in flag order joined by commas, empty for none), and a batch's
 * flag counts as the command line's summary shows them ({@code "12 repetition, 3 refusal"}).
 */
public final class FlagsText {
  private FlagsText() {}

  /** The wire names of {@code flags}, in flag order without repeats, joined by commas; empty for none. */
  public static String join(Collection<QualityFlag> flags) {
    List<String> names = new ArrayList<>();
    for (QualityFlag f : EnumSet.copyOf(flagsOrNone(flags))) {
      names.add(f.wireName());
    }
    return String.join(",", names);
  }

  /**
   * The flags of a text {@link #join} wrote, in flag order; empty for null or blank.
   *
   * @throws IllegalArgumentException naming the part that is not a flag's wire name
   */
  public static List<QualityFlag> parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    EnumSet<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    for (String part : text.split(",")) {
      String name = part.strip();
      flags.add(QualityFlag.fromWireName(name)
          .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a quality flag")));
    }
    return List.copyOf(flags);
  }

  /**
   * The summary line's text: {@code "12 repetition, 3 refusal"}, most frequent first (ties in flag
   * order), zero counts left out; {@code "none"} when no simulation is flagged.
   */
  public static String describe(Map<QualityFlag, Long> counts) {
    List<Map.Entry<QualityFlag, Long>> entries = new ArrayList<>();
    for (QualityFlag f : QualityFlag.values()) {
      Long n = counts.get(f);
      if (n != null && n > 0) {
        entries.add(Map.entry(f, n));
      }
    }
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

  /** Counts of flags over simulations, added one simulation (or one distinct flag set) at a time. */
  public static final class Tally {
    private final EnumMap<QualityFlag, Long> counts = new EnumMap<>(QualityFlag.class);

    /** Counts {@code simulations} more simulations carrying each of {@code flags} (repeats once). */
    public Tally add(Collection<QualityFlag> flags, long simulations) {
      for (QualityFlag f : EnumSet.copyOf(flagsOrNone(flags))) {
        counts.merge(f, simulations, Long::sum);
      }
      return this;
    }

    /** The counts so far, by flag. */
    public Map<QualityFlag, Long> toMap() {
      return Map.copyOf(counts);
    }
  }

  /** {@code EnumSet.copyOf} needs an element or an EnumSet. */
  private static Collection<QualityFlag> flagsOrNone(Collection<QualityFlag> flags) {
    return flags.isEmpty() ? EnumSet.noneOf(QualityFlag.class) : flags;
  }
}
