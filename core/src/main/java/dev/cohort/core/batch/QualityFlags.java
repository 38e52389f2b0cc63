package dev.cohort.core.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one written form of a set of quality flags, shared by the stores: a list in {@link
 * QualityFlag} order without repeats, and its text {@code "refusal,repetition"} (wire names joined
 * by commas, empty for none).
 */
public final class QualityFlags {
  private QualityFlags() {}

  /** {@code flags} in {@link QualityFlag} order, without repeats; unmodifiable. */
  public static List<QualityFlag> canonical(Collection<QualityFlag> flags) {
    Objects.requireNonNull(flags, "flags");
    EnumSet<QualityFlag> set = EnumSet.noneOf(QualityFlag.class);
    for (QualityFlag f : flags) {
      set.add(Objects.requireNonNull(f, "flags must not contain null"));
    }
    return List.copyOf(set);
  }

  /** The wire names of {@code flags}, in flag order, joined by commas; empty for none. */
  public static String join(Collection<QualityFlag> flags) {
    List<String> names = new ArrayList<>();
    for (QualityFlag f : canonical(flags)) {
      names.add(f.wireName());
    }
    return String.join(",", names);
  }

  /**
   * The flags of a text {@link #join} wrote; empty for null or blank.
   *
   * @throws IllegalArgumentException naming the part that is not a flag's wire name
   */
  public static List<QualityFlag> parse(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<QualityFlag> flags = new ArrayList<>();
    for (String part : text.split(",")) {
      String name = part.strip();
      flags.add(QualityFlag.fromWireName(name)
          .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a quality flag")));
    }
    return canonical(flags);
  }
}
