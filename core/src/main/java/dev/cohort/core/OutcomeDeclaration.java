package dev.cohort.core;

import dev.cohort.core.batch.DeclaredOutcome;
import java.util.ArrayList;
import java.util.List;

/** How a re-extraction's outcomes combine with the batch's declared ones. */
final class OutcomeDeclaration {
  private OutcomeDeclaration() {}

  /**
   * {@code added} alone when {@code replace}; otherwise {@code declared} with each outcome of the
   * same name replaced in place by the one in {@code added}, then the new ones in their order.
   */
  static List<DeclaredOutcome> merge(List<DeclaredOutcome> declared, List<DeclaredOutcome> added, boolean replace) {
    if (replace) {
      return List.copyOf(added);
    }
    List<DeclaredOutcome> merged = new ArrayList<>(declared);
    for (DeclaredOutcome o : added) {
      int at = -1;
      for (int i = 0; i < merged.size(); i++) {
        if (merged.get(i).name().equals(o.name())) {
          at = i;
        }
      }
      if (at >= 0) {
        merged.set(at, o);
      } else {
        merged.add(o);
      }
    }
    return merged;
  }
}
