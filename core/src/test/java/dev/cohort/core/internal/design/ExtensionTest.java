package dev.cohort.core.internal.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.sampling.CombinationSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExtensionTest {

  /** (n, k, N, M) where creating N + M draws the same way as N: the extension must equal it. */
  static Stream<Arguments> sameStrategy() {
    return Stream.of(
        Arguments.of(100, 3, 20, 180),   // uniform draws both times: C = 161700
        Arguments.of(30, 2, 10, 90),     // C = 435 > 2·100
        Arguments.of(10, 2, 30, 10),     // shuffle both times: 30 < 45 <= 60, 40 < 45
        Arguments.of(1_000, 1, 5, 400),
        Arguments.of(12, 4, 20, 80));
  }

  @ParameterizedTest(name = "n={0} k={1} N={2} M={3}")
  @MethodSource("sameStrategy")
  void randomExtensionGivesTheGroupsOfCreatingNPlusM(int n, int k, int first, int more) {
    List<Entity> pool = DesignFixtures.pool(n, 1);
    for (Constraints constraints : List.of(Constraints.NONE,
        Constraints.of(List.of(), List.of(Requirement.between("role", "moderator", 0, 1))))) {
      BatchRequest request = DesignFixtures.request(pool, k, first).constraints(constraints).build();
      List<int[]> created = BalancedDesignTest.drain(DesignPlanner.plan(request, pool, 9));
      List<int[]> extension = BalancedDesignTest.drain(DesignPlanner.extend(request, pool, 9, created, more));
      List<int[]> all = BalancedDesignTest.drain(DesignPlanner.plan(
          DesignFixtures.request(pool, k, first + more).constraints(constraints).build(), pool, 9));
      List<String> grown = new ArrayList<>(keys(created));
      grown.addAll(keys(extension));
      assertThat(grown).isEqualTo(keys(all));
    }
  }

  @Test
  void randomExtensionAcrossStrategiesStillContinuesTheSequenceWithNewGroups() {
    List<Entity> pool = DesignFixtures.pool(10, 1);
    // N = 15 draws uniformly (C = 45 > 30); N + M = 40 would shuffle: the extension keeps drawing.
    BatchRequest request = DesignFixtures.request(pool, 2, 15).build();
    List<int[]> created = BalancedDesignTest.drain(DesignPlanner.plan(request, pool, 4));
    GroupPlan plan = DesignPlanner.extend(request, pool, 4, created, 25);
    List<int[]> extension = BalancedDesignTest.drain(plan);
    List<int[]> whole = new ArrayList<>(created);
    whole.addAll(extension);
    BalancedDesignTest.assertDistinctAndSized(whole, 2);
    assertThat(extension).hasSize(25);
    List<int[]> sequence = BalancedDesignTest.drain(
        new GroupPlan(40, CombinationSampler.count(10, 2), CombinationSampler.extended(10, 2, 15, 40, 4).iterator()));
    assertThat(keys(whole)).isEqualTo(keys(sequence));
    // Asking for more than exist plans the rest only.
    BatchRequest grown = request.toBuilder().extensions(List.of(new Extension(25, 25, 16))).build();
    assertThat(DesignPlanner.extend(grown, pool, 4, whole, 100).planned()).isEqualTo(5);
  }

  @Test
  void balancedExtensionStaysBalancedAsAWhole() {
    for (int[] c : new int[][] {{20, 3, 7, 40}, {50, 2, 20, 200}, {9, 3, 10, 30}, {100, 5, 3, 77}}) {
      List<Entity> pool = DesignFixtures.pool(c[0], 1);
      BatchRequest request = DesignFixtures.request(pool, c[1], c[2]).design(Design.balanced()).build();
      List<int[]> whole = BalancedDesignTest.drain(DesignPlanner.plan(request, pool, 2));
      whole.addAll(BalancedDesignTest.drain(DesignPlanner.extend(request, pool, 2, whole, c[3])));
      assertThat(whole).hasSize(c[2] + c[3]);
      BalancedDesignTest.assertDistinctAndSized(whole, c[1]);
      assertThat(BalancedDesignTest.range(BalancedDesignTest.appearances(whole, c[0]))).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void explicitDesignsCannotGrow() {
    List<Entity> pool = DesignFixtures.pool(4, 1);
    BatchRequest request = DesignFixtures.request(pool, 2, 1).design(Design.explicit(List.of(List.of("e0", "e1"))))
        .build();
    assertThatThrownBy(() -> DesignPlanner.extend(request, pool, 1, List.of(new int[] {0, 1}), 3))
        .isInstanceOf(ValidationException.class).hasMessageContaining("design: an explicit design cannot grow");
  }

  static List<String> keys(List<int[]> groups) {
    return groups.stream().map(g -> {
      int[] s = g.clone();
      Arrays.sort(s);
      return Arrays.toString(s);
    }).toList();
  }
}
