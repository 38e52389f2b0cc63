package dev.cohort.core.internal.design;

import dev.cohort.core.batch.SpeakingOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link SpeakingOrder#ROTATE rotate} and {@link SpeakingOrder#FIXED fixed} speaking orders of a
 * plan (the random order is drawn per simulation from the seed, needing no state). Rotate opens a
 * group's first replicate with the member who has opened least often so far (ties: the earlier in
 * the group's order), keeps the group's cyclic order from there, and rotates it by one per
 * replicate: a cyclic Latin square over the replicates.
 */
public final class SpeakingOrders {
  private final SpeakingOrder mode;
  private final Map<String, Integer> openings = new HashMap<>();
  private List<String> base = List.of();

  /** Orders for {@code mode}, which must be rotate or fixed. */
  public SpeakingOrders(SpeakingOrder mode) {
    if (mode == SpeakingOrder.RANDOM) {
      throw new IllegalArgumentException("the random order is drawn from the seed, not kept here");
    }
    this.mode = mode;
  }

  /** Counts an opening planned before (an extension continues the counts). */
  public void recordOpening(String entityId) {
    openings.merge(entityId, 1, Integer::sum);
  }

  /**
   * The speaking order of a group's replicate.
   *
   * @param group the members in the plan's order
   * @param replicate 0 for the group's first simulation, then 1, 2…
   */
  public List<String> order(List<String> group, int replicate) {
    if (mode == SpeakingOrder.FIXED) {
      return group;
    }
    if (replicate == 0) {
      int opener = 0;
      for (int i = 1; i < group.size(); i++) {
        if (openings.getOrDefault(group.get(i), 0) < openings.getOrDefault(group.get(opener), 0)) {
          opener = i;
        }
      }
      base = rotate(group, opener);
    }
    List<String> order = rotate(base, replicate % base.size());
    recordOpening(order.get(0));
    return order;
  }

  private static List<String> rotate(List<String> members, int by) {
    List<String> out = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      out.add(members.get((i + by) % members.size()));
    }
    return List.copyOf(out);
  }
}
