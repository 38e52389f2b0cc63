package dev.cohort.core.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every group of a {@code random} or {@code balanced} design must satisfy: no two members
 * share a value of a {@code distinct_by} attribute ("every panel mixes parties"; an entity without
 * the attribute counts as having the value "none", so two such entities never meet), and each
 * {@link Requirement} bounds how many members have a value ("exactly one moderator"). Sampling stays
 * uniform over the groups that satisfy them, and their number is counted exactly.
 *
 * @param distinctBy attributes whose values the members of a group must not share (at most one)
 * @param require bounds on how many members have a value
 */
public record Constraints(List<String> distinctBy, List<Requirement> require) {
  /** No constraint. */
  public static final Constraints NONE = new Constraints(List.of(), List.of());

  /** Copies both lists. */
  public Constraints {
    distinctBy = List.copyOf(distinctBy);
    require = List.copyOf(require);
  }

  /** Whether there is no constraint at all. */
  public boolean isEmpty() {
    return distinctBy.isEmpty() && require.isEmpty();
  }

  /** The attributes the constraints name, each once, distinct_by first. */
  public List<String> attributes() {
    List<String> names = new ArrayList<>(distinctBy);
    for (Requirement r : require) {
      if (!names.contains(r.attribute())) {
        names.add(r.attribute());
      }
    }
    return List.copyOf(names);
  }

  /** Constraints with these distinct_by attributes and requirements. */
  public static Constraints of(List<String> distinctBy, List<Requirement> require) {
    return new Constraints(Objects.requireNonNull(distinctBy, "distinctBy"), Objects.requireNonNull(require, "require"));
  }
}
