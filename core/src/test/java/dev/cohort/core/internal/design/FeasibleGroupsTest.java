package dev.cohort.core.internal.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.ValidationException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeasibleGroupsTest {

  static Stream<Arguments> spaces() {
    List<Constraints> constraints = List.of(
        Constraints.of(List.of("party"), List.of()),
        Constraints.of(List.of(), List.of(Requirement.between("role", "moderator", 1, 1))),
        Constraints.of(List.of("party"), List.of(Requirement.between("role", "moderator", 1, 1))),
        Constraints.of(List.of(), List.of(Requirement.atLeastOne("party", "D"), Requirement.between("party", "R", 0, 1))),
        Constraints.of(List.of("role"), List.of(Requirement.between("party", "I", 0, 0))));
    Stream.Builder<Arguments> out = Stream.builder();
    for (long seed = 1; seed <= 3; seed++) {
      for (int n : new int[] {6, 9, 12}) {
        for (int k = 1; k <= 4; k++) {
          for (Constraints c : constraints) {
            out.add(Arguments.of(n, k, seed, c));
          }
        }
      }
    }
    return out.build();
  }

  @ParameterizedTest(name = "n={0} k={1} seed={2} {3}")
  @MethodSource("spaces")
  void countAndRanksMatchBruteForce(int n, int k, long seed, Constraints constraints) {
    List<Entity> pool = DesignFixtures.pool(n, seed);
    Set<String> feasible = new HashSet<>();
    FeasibleGroups probe = null;
    for (int[] group : DesignFixtures.allSubsets(n, k)) {
      if (BruteForce.admits(pool, group, constraints)) {
        feasible.add(Arrays.toString(group));
      }
    }
    if (feasible.isEmpty()) {
      assertThatThrownBy(() -> FeasibleGroups.of(pool, k, constraints)).isInstanceOf(ValidationException.class)
          .hasMessageContaining("constraints").hasMessageContaining("no group of " + k);
      return;
    }
    probe = FeasibleGroups.of(pool, k, constraints);
    assertThat(probe.count()).isEqualTo(BigInteger.valueOf(feasible.size()));
    Set<String> ranked = new HashSet<>();
    for (int r = 0; r < feasible.size(); r++) {
      int[] group = probe.group(BigInteger.valueOf(r));
      assertThat(probe.admits(group)).isTrue();
      ranked.add(Arrays.toString(group));
    }
    assertThat(ranked).isEqualTo(feasible);
  }

  @Test
  void drawsAreUniformOverFeasibleGroups() {
    List<Entity> pool = DesignFixtures.pool(10, 7);
    Constraints constraints = Constraints.of(List.of("party"), List.of(Requirement.between("role", "moderator", 1, 1)));
    FeasibleGroups groups = FeasibleGroups.of(pool, 2, constraints);
    int cells = groups.count().intValueExact();
    assertThat(cells).isBetween(5, 40);
    int draws = 400 * cells;
    Map<String, Integer> seen = new HashMap<>();
    SplittableRandom random = new SplittableRandom(2026);
    for (int i = 0; i < draws; i++) {
      int[] group = groups.group(RankDraws.uniformBelow(groups.count(), random));
      assertThat(BruteForce.admits(pool, group, constraints)).isTrue();
      seen.merge(Arrays.toString(group), 1, Integer::sum);
    }
    assertThat(seen).hasSize(cells);
    double expected = (double) draws / cells;
    double chiSquare = seen.values().stream().mapToDouble(o -> (o - expected) * (o - expected) / expected).sum();
    // Critical value of chi-square at p = 0.001 is below 3·df + 10 for df up to 40.
    assertThat(chiSquare).isLessThan(3.0 * (cells - 1) + 10);
  }

  @Test
  void largePoolsAreCountedWithoutEnumerating() {
    List<Entity> pool = DesignFixtures.pool(10_000, 3);
    Constraints constraints = Constraints.of(List.of("party"), List.of(Requirement.between("role", "moderator", 1, 1)));
    FeasibleGroups groups = FeasibleGroups.of(pool, 3, constraints);
    // One moderator and two members of the two other parties, or of distinct parties in all.
    assertThat(groups.count()).isGreaterThan(BigInteger.valueOf(1_000_000_000L));
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1_000; i++) {
      assertThat(BruteForce.admits(pool, groups.group(RankDraws.uniformBelow(groups.count(), random)), constraints))
          .isTrue();
    }
  }

  @Test
  void infeasibleConstraintsSayWhy() {
    List<Entity> pool = DesignFixtures.pool(6, 1);
    assertThatThrownBy(() -> FeasibleGroups.of(pool, 4, Constraints.of(List.of("party"), List.of())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("distinct values of party, fewer than the 4 members");
    // e0 and e5 are the only moderators: three per group cannot be.
    assertThatThrownBy(() -> FeasibleGroups.of(pool, 3,
        Constraints.of(List.of(), List.of(Requirement.between("role", "moderator", 3, 3)))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("2 entities have role=moderator (at least 3 per group)")
        .satisfies(e -> assertThat(((ValidationException) e).errors().get(0).field()).isEqualTo("constraints"));
  }

  /** The constraints checked directly, member by member. */
  static final class BruteForce {
    static boolean admits(List<Entity> pool, int[] group, Constraints constraints) {
      for (String attribute : constraints.distinctBy()) {
        Set<Object> values = new HashSet<>();
        for (int e : group) {
          Object v = pool.get(e).attributes().get(attribute);
          if (!values.add(v == null ? "none" : v.toString())) {
            return false;
          }
        }
      }
      for (Requirement r : constraints.require()) {
        long having = Arrays.stream(group).filter(e -> r.value().equals(String.valueOf(pool.get(e).attributes().get(r.attribute())))).count();
        if (having < r.min() || having > r.maxFor(group.length)) {
          return false;
        }
      }
      return true;
    }
  }
}
