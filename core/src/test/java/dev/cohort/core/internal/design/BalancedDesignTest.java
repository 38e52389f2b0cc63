package dev.cohort.core.internal.design;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.sampling.CombinationSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BalancedDesignTest {

  static Stream<Arguments> grid() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (int n : new int[] {4, 5, 6, 7, 9, 10, 13, 20, 31, 100}) {
      for (int k = 1; k <= Math.min(5, n - 1); k++) {
        // Sizes around C(n,k) only where the space is small enough to plan most of it quickly.
        int c = CombinationSampler.count(n, k).min(java.math.BigInteger.valueOf(5_000)).intValueExact();
        for (int size : new int[] {1, 2, 3, 7, 10, 33, 100, 250, c / 3, c / 2, c / 2 + 1, 2 * c / 3, c - 1, c, c + 5}) {
          if (size >= 1) {
            out.add(Arguments.of(n, k, size));
          }
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "n={0} k={1} N={2}")
  @MethodSource("grid")
  void everyEntityAppearsWithinOneOfTheOthersInDistinctGroups(int n, int k, int size) {
    List<Entity> pool = DesignFixtures.pool(n, 1);
    GroupPlan plan = DesignPlanner.plan(DesignFixtures.request(pool, k, size).design(Design.balanced()).build(), pool, 11);
    List<int[]> groups = drain(plan);
    int expected = CombinationSampler.count(n, k).min(java.math.BigInteger.valueOf(size)).intValueExact();
    assertThat(groups).hasSize(expected).hasSize(plan.planned());
    assertDistinctAndSized(groups, k);
    int[] counts = appearances(groups, n);
    int min = Arrays.stream(counts).min().orElseThrow();
    int max = Arrays.stream(counts).max().orElseThrow();
    assertThat(max - min).as("appearance spread").isLessThanOrEqualTo(1);
    assertThat(min).isEqualTo((int) ((long) k * expected / n));
  }

  @Test
  void balancedPairsAreMoreEvenThanRandomOnes() {
    int[][] cases = {{30, 3, 200}, {50, 3, 400}, {100, 4, 500}, {20, 5, 300}, {12, 3, 60}};
    for (int[] c : cases) {
      List<Entity> pool = DesignFixtures.pool(c[0], 1);
      for (long seed = 1; seed <= 3; seed++) {
        List<int[]> balanced = drain(DesignPlanner.plan(DesignFixtures.request(pool, c[1], c[2])
            .design(Design.balanced()).build(), pool, seed));
        List<int[]> random = drain(DesignPlanner.plan(DesignFixtures.request(pool, c[1], c[2]).build(), pool, seed));
        assertThat(pairRange(balanced, c[0])).as("pair range n=%d k=%d N=%d", c[0], c[1], c[2])
            .isLessThan(pairRange(random, c[0]));
      }
    }
  }

  @Test
  void balancedUnderConstraintsKeepsEveryConstraintAndBeatsRandomOnAppearances() {
    List<Entity> pool = DesignFixtures.pool(40, 5);
    Constraints constraints = Constraints.of(List.of("party"), List.of(Requirement.between("role", "moderator", 0, 1)));
    List<int[]> balanced = drain(DesignPlanner.plan(DesignFixtures.request(pool, 3, 120).design(Design.balanced())
        .constraints(constraints).build(), pool, 3));
    List<int[]> random = drain(DesignPlanner.plan(DesignFixtures.request(pool, 3, 120).constraints(constraints).build(),
        pool, 3));
    assertDistinctAndSized(balanced, 3);
    for (int[] g : balanced) {
      assertThat(FeasibleGroupsTest.BruteForce.admits(pool, g, constraints)).isTrue();
    }
    assertThat(range(appearances(balanced, 40))).isLessThan(range(appearances(random, 40)));
  }

  static List<int[]> drain(GroupPlan plan) {
    List<int[]> out = new ArrayList<>();
    plan.groups().forEachRemaining(out::add);
    return out;
  }

  static void assertDistinctAndSized(List<int[]> groups, int k) {
    Set<String> keys = new HashSet<>();
    for (int[] g : groups) {
      int[] sorted = g.clone();
      Arrays.sort(sorted);
      assertThat(Arrays.stream(sorted).distinct().count()).isEqualTo(k);
      assertThat(keys.add(Arrays.toString(sorted))).as("group %s is new", Arrays.toString(sorted)).isTrue();
    }
  }

  static int[] appearances(List<int[]> groups, int n) {
    int[] counts = new int[n];
    groups.forEach(g -> Arrays.stream(g).forEach(v -> counts[v]++));
    return counts;
  }

  static int range(int[] values) {
    return Arrays.stream(values).max().orElseThrow() - Arrays.stream(values).min().orElseThrow();
  }

  static int pairRange(List<int[]> groups, int n) {
    int[][] met = new int[n][n];
    for (int[] g : groups) {
      for (int i = 0; i < g.length; i++) {
        for (int j = i + 1; j < g.length; j++) {
          met[Math.min(g[i], g[j])][Math.max(g[i], g[j])]++;
        }
      }
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        min = Math.min(min, met[a][b]);
        max = Math.max(max, met[a][b]);
      }
    }
    return max - min;
  }
}
