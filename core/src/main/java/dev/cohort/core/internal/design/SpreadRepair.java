package dev.cohort.core.internal.design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a list of distinct groups to an appearance spread of at most one by exchanging members:
 * while some index a appears at least twice more than some index b, one group that holds a and not
 * b gets b instead of a. Such a group whose exchange is new always exists when every group may
 * change: there are more groups with a and not b than with b and not a, and exchanging is one-to-one
 * from the first kind onto sets of the second kind. Each exchange lowers the sum of squared
 * appearances, so the repair ends. Groups before {@code firstMutable} (an extension's existing
 * groups) are never changed, which can leave the spread above one.
 */
final class SpreadRepair {
  private SpreadRepair() {}

  /**
   * Repairs {@code groups} (ascending members) in place.
   *
   * @return whether the spread is now at most one
   */
  static boolean repair(List<int[]> groups, int n, int firstMutable) {
    int[] counts = new int[n];
    for (int[] g : groups) {
      for (int v : g) {
        counts[v]++;
      }
    }
    if (spread(counts) <= 1) {
      return true;
    }
    Set<GroupKey> keys = new HashSet<>();
    List<List<Integer>> holding = new ArrayList<>(n);
    for (int v = 0; v < n; v++) {
      holding.add(new ArrayList<>());
    }
    for (int i = 0; i < groups.size(); i++) {
      keys.add(new GroupKey(groups.get(i)));
      if (i >= firstMutable) {
        for (int v : groups.get(i)) {
          holding.get(v).add(i);
        }
      }
    }
    while (true) {
      int a = 0;
      int b = 0;
      for (int v = 1; v < n; v++) {
        if (counts[v] > counts[a]) {
          a = v;
        }
        if (counts[v] < counts[b]) {
          b = v;
        }
      }
      if (counts[a] - counts[b] <= 1) {
        return true;
      }
      if (!exchange(groups, keys, holding, counts, a, b)) {
        return false;
      }
    }
  }

  private static boolean exchange(List<int[]> groups, Set<GroupKey> keys, List<List<Integer>> holding, int[] counts,
      int a, int b) {
    List<Integer> withA = holding.get(a);
    for (int at = 0; at < withA.size(); at++) {
      int index = withA.get(at);
      int[] group = groups.get(index);
      if (Arrays.binarySearch(group, b) >= 0) {
        continue;
      }
      int[] changed = group.clone();
      changed[Arrays.binarySearch(changed, a)] = b;
      Arrays.sort(changed);
      GroupKey key = new GroupKey(changed);
      if (keys.contains(key)) {
        continue;
      }
      keys.remove(new GroupKey(group));
      keys.add(key);
      groups.set(index, changed);
      withA.remove(at);
      holding.get(b).add(index);
      counts[a]--;
      counts[b]++;
      return true;
    }
    return false;
  }

  private static int spread(int[] counts) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int c : counts) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    return counts.length == 0 ? 0 : max - min;
  }
}
