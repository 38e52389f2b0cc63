package dev.cohort.core.internal.design;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Pools and requests for the design tests. */
final class DesignFixtures {
  private DesignFixtures() {}

  /** n entities e0… with a party (D, R or I, seeded) and every fifth a moderator. */
  static List<Entity> pool(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] parties = {"D", "R", "I"};
    List<Entity> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Entity("e" + i, "Person " + i, null,
          Map.of("party", parties[random.nextInt(3)], "role", i % 5 == 0 ? "moderator" : "member")));
    }
    return out;
  }

  static BatchRequest.Builder request(List<Entity> pool, int k, int n) {
    return BatchRequest.builder().name("t").context("c").entityIds(pool.stream().map(Entity::id).toList())
        .interactionSize(k).numSimulations(n).seed(42L);
  }

  /** Every k-subset of {0…n-1}, ascending, in lexicographic order. */
  static List<int[]> allSubsets(int n, int k) {
    List<int[]> out = new ArrayList<>();
    collect(n, k, 0, new int[k], 0, out);
    return out;
  }

  private static void collect(int n, int k, int from, int[] current, int size, List<int[]> out) {
    if (size == k) {
      out.add(current.clone());
      return;
    }
    for (int v = from; v < n; v++) {
      current[size] = v;
      collect(n, k, v + 1, current, size + 1, out);
    }
  }
}
