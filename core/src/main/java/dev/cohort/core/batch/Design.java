package dev.cohort.core.batch;

import java.util.List;
import java.util.Objects;

/**
 * How a batch chooses its groups: {@code {"type": "random"}} (the default), {@code {"type":
 * "balanced"}} or {@code {"type": "explicit", "groups": [["e1", "e2"], …]}}. {@link
 * BatchRequest.Builder#build()} checks the groups against the pool and the group size.
 *
 * @param type how groups are chosen
 * @param groups the researcher's groups, by entity id, for {@link DesignType#EXPLICIT}; empty otherwise
 * @param allowDuplicateGroups whether an explicit design may list the same group (as a set) twice;
 *     off by default because {@code replicates} is the way to run a group more than once
 */
public record Design(DesignType type, List<List<String>> groups, boolean allowDuplicateGroups) {

  /** Copies the groups; null fields are refused. */
  public Design {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(groups, "groups");
    groups = groups.stream().map(group -> List.copyOf(Objects.requireNonNull(group, "group"))).toList();
  }

  /** Uniformly drawn distinct groups: today's default. */
  public static Design random() {
    return new Design(DesignType.RANDOM, List.of(), false);
  }

  /** Groups in which every entity appears ⌊kN/n⌋ or ⌈kN/n⌉ times. */
  public static Design balanced() {
    return new Design(DesignType.BALANCED, List.of(), false);
  }

  /** The given groups, each of {@code interaction_size} distinct pool ids, no group twice. */
  public static Design explicit(List<List<String>> groups) {
    return new Design(DesignType.EXPLICIT, groups, false);
  }

  /** The given groups; {@code allowDuplicateGroups} lets a group appear more than once. */
  public static Design explicit(List<List<String>> groups, boolean allowDuplicateGroups) {
    return new Design(DesignType.EXPLICIT, groups, allowDuplicateGroups);
  }
}
