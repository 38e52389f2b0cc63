package dev.cohort.core.batch;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bound on how many members of every group have one attribute value: {@code {"attribute":
 * "role", "value": "moderator", "min": 1, "max": 1}}. An entity has the value when its attribute,
 * written as text (a string as it is, a number or boolean as JSON writes it), equals {@code value}.
 *
 * @param attribute the attribute's name
 * @param value the value counted
 * @param min fewest members with the value; 1 when not given
 * @param max most members with the value, or null for no upper bound (the group size)
 */
public record Requirement(String attribute, String value, int min, @Nullable Integer max) {

  /** Refuses null names and values; ranges are checked by {@link BatchRequest.Builder#build()}. */
  public Requirement {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(value, "value");
  }

  /** At least one member with the value. */
  public static Requirement atLeastOne(String attribute, String value) {
    return new Requirement(attribute, value, 1, null);
  }

  /** Between {@code min} and {@code max} members with the value. */
  public static Requirement between(String attribute, String value, int min, int max) {
    return new Requirement(attribute, value, min, max);
  }

  /** The upper bound for groups of {@code k}: {@link #max()} or {@code k}. */
  public int maxFor(int k) {
    Integer m = max;
    return m == null ? k : Math.min(m, k);
  }
}
