package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a request's study design that need only the request: the explicit groups against
 * the pool and the group size, the constraints' shape and ranges. Whether constraints can be met
 * depends on the entities' attributes and is checked when the batch is planned.
 */
final class DesignRules {
  /** Most requirements: the exact count's table grows as (k+1) to this power. */
  static final int MAX_REQUIREMENTS = 4;

  private DesignRules() {}

  static void check(List<FieldError> errors, @Nullable Design design, @Nullable Constraints constraints,
      @Nullable SpeakingOrder speakingOrder, @Nullable List<Extension> extensions, @Nullable List<String> pool,
      int k, int numSimulations) {
    if (design == null) {
      errors.add(new FieldError("design", "must not be null; use Design.random()"));
    }
    if (constraints == null) {
      errors.add(new FieldError("constraints", "must not be null; use Constraints.NONE"));
    }
    if (speakingOrder == null) {
      errors.add(new FieldError("speaking_order", "must not be null; use SpeakingOrder.RANDOM"));
    }
    if (extensions == null) {
      errors.add(new FieldError("extensions", "must not be null; leave it out for none"));
    }
    if (design == null || constraints == null) {
      return;
    }
    if (design.type() == DesignType.EXPLICIT) {
      checkGroups(errors, design, pool, k, numSimulations);
      if (!constraints.isEmpty()) {
        errors.add(new FieldError("constraints", "apply to random and balanced designs; an explicit design's groups"
            + " are taken as given"));
      }
    } else if (!design.groups().isEmpty()) {
      errors.add(new FieldError("design.groups", "are given only with an explicit design, not with "
          + design.type().wireName()));
    }
    checkConstraints(errors, constraints, k);
  }

  private static void checkGroups(List<FieldError> errors, Design design, @Nullable List<String> pool, int k,
      int numSimulations) {
    List<List<String>> groups = design.groups();
    if (groups.isEmpty()) {
      errors.add(new FieldError("design.groups", "must list at least one group for an explicit design"));
      return;
    }
    if (numSimulations != groups.size()) {
      errors.add(new FieldError("num_simulations", "is " + numSimulations + " but the explicit design lists "
          + groups.size() + " groups; leave num_simulations out or make them agree"));
    }
    Set<String> known = pool == null ? Set.of() : new HashSet<>(pool);
    Set<Set<String>> seen = new HashSet<>();
    for (int g = 0; g < groups.size(); g++) {
      List<String> group = groups.get(g);
      String path = "design.groups[" + g + "]";
      if (k >= 1 && group.size() != k) {
        errors.add(new FieldError(path, "has " + group.size() + " members but interaction_size is " + k));
      }
      Set<String> members = new HashSet<>();
      Set<String> unknown = new TreeSet<>();
      for (String id : group) {
        if (!members.add(id)) {
          errors.add(new FieldError(path, "names entity '" + id + "' twice"));
        }
        if (pool != null && !known.contains(id)) {
          unknown.add(id);
        }
      }
      if (!unknown.isEmpty()) {
        errors.add(new FieldError(path, "names entities not in entity_ids: " + String.join(", ", unknown)));
      }
      if (!seen.add(members) && !design.allowDuplicateGroups()) {
        errors.add(new FieldError(path, "repeats an earlier group; use replicates to run a group more than once,"
            + " or allow_duplicate_groups"));
      }
    }
  }

  private static void checkConstraints(List<FieldError> errors, Constraints constraints, int k) {
    if (constraints.distinctBy().size() > 1) {
      errors.add(new FieldError("constraints.distinct_by", "names " + constraints.distinctBy().size()
          + " attributes; at most one is supported (the exact count over two is a matching count, #P-hard)"));
    }
    for (int i = 0; i < constraints.distinctBy().size(); i++) {
      String a = constraints.distinctBy().get(i);
      if (a == null || a.isBlank()) {
        errors.add(new FieldError("constraints.distinct_by[" + i + "]", "must be a non-blank attribute name"));
      }
    }
    if (constraints.require().size() > MAX_REQUIREMENTS) {
      errors.add(new FieldError("constraints.require", "has " + constraints.require().size()
          + " requirements; at most " + MAX_REQUIREMENTS + " are supported"));
    }
    for (int i = 0; i < constraints.require().size(); i++) {
      Requirement r = constraints.require().get(i);
      String path = "constraints.require[" + i + "]";
      if (r.attribute().isBlank()) {
        errors.add(new FieldError(path + ".attribute", "must be a non-blank attribute name"));
      }
      if (r.min() < 0) {
        errors.add(new FieldError(path + ".min", "must not be negative, was " + r.min()));
      } else if (k >= 1 && r.min() > k) {
        errors.add(new FieldError(path + ".min", "is " + r.min() + " but a group has only " + k + " members"));
      }
      Integer max = r.max();
      if (max != null && max < r.min()) {
        errors.add(new FieldError(path + ".max", "is " + max + ", below min " + r.min()));
      }
    }
  }
}
