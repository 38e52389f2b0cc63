package dev.cohort.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

class CombinationSamplerTest {

  @Test
  void countIsExactForSmallAndHugeSpaces() {
    assertThat(CombinationSampler.count(10, 2)).isEqualTo(BigInteger.valueOf(45));
    assertThat(CombinationSampler.count(10, 3)).isEqualTo(BigInteger.valueOf(120));
    assertThat(CombinationSampler.count(52, 5)).isEqualTo(BigInteger.valueOf(2_598_960));
    assertThat(CombinationSampler.count(7, 0)).isEqualTo(BigInteger.ONE);
    assertThat(CombinationSampler.count(7, 7)).isEqualTo(BigInteger.ONE);
    assertThat(CombinationSampler.count(100, 50)).isEqualTo(new BigInteger("100891344545564193334812497256"));
    // Beyond a long: never saturated.
    assertThat(CombinationSampler.count(10_000, 10).bitLength()).isGreaterThan(63);
  }

  @Test
  void countMatchesPascalsRule() {
    for (int n = 1; n <= 40; n++) {
      for (int k = 1; k < n; k++) {
        assertThat(CombinationSampler.count(n, k))
            .isEqualTo(CombinationSampler.count(n - 1, k - 1).add(CombinationSampler.count(n - 1, k)));
      }
    }
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> CombinationSampler.count(3, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CombinationSampler.plan(3, 0, 1, 1)).hasMessageContaining("k must be at least 1");
    assertThatThrownBy(() -> CombinationSampler.plan(3, 2, 0, 1)).hasMessageContaining("requested");
  }

  @Test
  void whenAllFitEveryCombinationIsPlannedInLexicographicOrder() {
    SamplingPlan plan = CombinationSampler.plan(5, 3, 100, 42);
    assertThat(plan.exhaustive()).isTrue();
    assertThat(plan.planned()).isEqualTo(10);
    assertThat(plan.requested()).isEqualTo(100);
    assertThat(combinations(plan)).containsExactly(
        new int[] {0, 1, 2}, new int[] {0, 1, 3}, new int[] {0, 1, 4}, new int[] {0, 2, 3}, new int[] {0, 2, 4},
        new int[] {0, 3, 4}, new int[] {1, 2, 3}, new int[] {1, 2, 4}, new int[] {1, 3, 4}, new int[] {2, 3, 4});
  }

  @ParameterizedTest
  @CsvSource({"10,2,45", "10,2,44", "10,2,30", "10,2,10", "100,5,10000", "10000,5,100000", "200,10,5000", "40,20,1000", "60,40,500"})
  void plannedCombinationsAreDistinctSortedAndInRange(int n, int k, int requested) {
    SamplingPlan plan = CombinationSampler.plan(n, k, requested, 7);
    assertThat(plan.planned()).isEqualTo(plan.available().min(BigInteger.valueOf(requested)).intValueExact());
    Set<List<Integer>> seen = new HashSet<>();
    for (int[] c : combinations(plan)) {
      assertThat(c).hasSize(k);
      for (int i = 0; i < k; i++) {
        assertThat(c[i]).isBetween(0, n - 1);
        if (i > 0) {
          assertThat(c[i]).isGreaterThan(c[i - 1]);
        }
      }
      assertThat(seen.add(Arrays.stream(c).boxed().toList())).as("distinct").isTrue();
    }
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    SamplingPlan a = CombinationSampler.plan(1_000, 3, 5_000, 123);
    SamplingPlan b = CombinationSampler.plan(1_000, 3, 5_000, 123);
    SamplingPlan c = CombinationSampler.plan(1_000, 3, 5_000, 124);
    assertThat(combinations(a)).containsExactlyElementsOf(combinations(b));
    assertThat(render(a)).isNotEqualTo(render(c));
  }

  @Test
  void requestedAndPlannedAreBothReportedWhenTheSpaceIsSmaller() {
    SamplingPlan plan = CombinationSampler.plan(4, 2, 10, 1);
    assertThat(plan.requested()).isEqualTo(10);
    assertThat(plan.planned()).isEqualTo(6);
    assertThat(plan.available()).isEqualTo(BigInteger.valueOf(6));
  }

  /**
   * Each of the C(6,3) = 20 subsets must be equally likely to be planned. Over 4,000 seeded plans
   * the chi-square statistic (19 degrees of freedom) stays below 43.8, the 0.1 % critical value.
   * Seeds are fixed, so the test is deterministic; it fails for any sampler with a real bias.
   */
  @ParameterizedTest
  @CsvSource({"4", "12"})
  void everySubsetIsEquallyLikely(int requested) {
    int trials = 4_000;
    Map<String, Integer> counts = new HashMap<>();
    for (int seed = 0; seed < trials; seed++) {
      for (int[] c : CombinationSampler.plan(6, 3, requested, seed * 7919L)) {
        counts.merge(Arrays.toString(c), 1, Integer::sum);
      }
    }
    assertThat(counts).hasSize(20);
    double expected = (double) trials * requested / 20;
    double chiSquare = 0;
    for (int observed : counts.values()) {
      chiSquare += (observed - expected) * (observed - expected) / expected;
    }
    assertThat(chiSquare).isLessThan(43.82);
  }

  @Test
  void eachPositionOfAHugeSpaceIsUniform() {
    // n = 10,000, k = 5: every index should appear about N·k/n times; a bias towards low or high
    // indices shows up in the decile counts.
    SamplingPlan plan = CombinationSampler.plan(10_000, 5, 100_000, 99);
    int[] deciles = new int[10];
    for (int[] c : combinations(plan)) {
      for (int v : c) {
        deciles[v / 1_000]++;
      }
    }
    double expected = 100_000 * 5 / 10.0;
    double chiSquare = 0;
    for (int d : deciles) {
      chiSquare += (d - expected) * (d - expected) / expected;
    }
    assertThat(chiSquare).isLessThan(27.88); // 9 degrees of freedom, 0.1 %
  }

  /**
   * The first groups and a hash of every group in order, for plans drawn before planning streamed
   * (one point per path: all in order, the shuffle, rejection by colex rank, by fingerprint, and
   * Floyd's large-k membership test): stored batches' seeds must keep giving the same plan.
   */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "5;3;100;42;[0, 1, 2][0, 1, 3][0, 1, 4][0, 2, 3];[2, 3, 4];814820738381334880",
      "10;2;30;7;[4, 6][1, 3][6, 7][0, 7];[1, 9];5285720342602018599",
      "10;2;44;7;[4, 6][1, 3][6, 7][0, 7];[5, 6];-2676537763242606209",
      "70;3;40000;9;[5, 37, 57][28, 35, 61][14, 25, 50][10, 18, 50];[0, 1, 13];-6383520493888578030",
      "12;9;150;3;[0, 1, 3, 4, 5, 7, 9, 10, 11][0, 1, 3, 4, 6, 7, 8, 9, 11][1, 2, 4, 5, 6, 7, 8, 9, 11]"
          + "[0, 3, 5, 6, 7, 8, 9, 10, 11];[0, 2, 3, 4, 5, 7, 8, 9, 10];1507082030164837438",
      "2000;1;1500;4;[1019][510][1695][791];[504];8105729727555496637",
      "2000;1999;1500;4;;;4345501709153286283",
      "10000;5;100000;99;[2707, 6138, 7252, 7612, 8246][238, 4030, 8418, 8457, 9780]"
          + "[1881, 2400, 8176, 8380, 9927][2228, 2348, 3079, 3991, 5367];[167, 3241, 4869, 6429, 6486];"
          + "-4374411979213915336",
      "2000;4;1000000;5;[1050, 1194, 1403, 1558][1020, 1347, 1428, 1524][456, 863, 1200, 1435]"
          + "[362, 524, 711, 1052];[13, 877, 935, 1640];-1311180613343856942",
      "200;10;5000;7;[11, 27, 44, 50, 60, 95, 129, 141, 173, 185][47, 57, 66, 69, 117, 118, 148, 155, 165, 192]"
          + "[4, 19, 27, 33, 61, 113, 135, 138, 147, 175][42, 46, 49, 74, 105, 109, 161, 174, 183, 187];"
          + "[24, 31, 49, 75, 115, 125, 129, 159, 178, 199];3041764053509489435",
      "10000;10;5000;3;[199, 1936, 2289, 3096, 5135, 5965, 6554, 7890, 8715, 9701]"
          + "[19, 264, 883, 1723, 1984, 2422, 2492, 5852, 8377, 8483]"
          + "[547, 1137, 1356, 3340, 3537, 3975, 5505, 7160, 8341, 9030]"
          + "[962, 1174, 2636, 2676, 2933, 5651, 7503, 8544, 8933, 9453];"
          + "[416, 646, 877, 1040, 1999, 2949, 5435, 8874, 9252, 9289];-7512678751879677675",
      "70;65;10000;2;;;-6885881488587928126"})
  void aSeedGivesTheSamePlanAsBeforePlanningStreamed(int n, int k, int requested, long seed,
      @Nullable String firstFour, @Nullable String last, long hash) {
    List<int[]> plan = combinations(CombinationSampler.plan(n, k, requested, seed));
    if (firstFour != null) {
      assertThat(String.join("", render(plan.subList(0, 4)))).isEqualTo(firstFour);
      assertThat(Arrays.toString(plan.get(plan.size() - 1))).isEqualTo(last);
    }
    long h = 0;
    for (int[] c : plan) {
      h = h * 31 + Arrays.hashCode(c);
    }
    assertThat(h).isEqualTo(hash);
  }

  @Test
  void aPlanIsDrawnAgainOnEachIterationAndStopsAtPlanned() {
    SamplingPlan plan = CombinationSampler.plan(1_000, 3, 2_000, 5);
    assertThat(render(combinations(plan))).isEqualTo(render(combinations(plan)));
    Iterator<int[]> it = plan.iterator();
    for (int i = 0; i < plan.planned(); i++) {
      it.next();
    }
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  private static List<int[]> combinations(SamplingPlan plan) {
    List<int[]> out = new ArrayList<>();
    plan.forEach(out::add);
    return out;
  }

  private static List<String> render(SamplingPlan plan) {
    return render(combinations(plan));
  }

  private static List<String> render(List<int[]> combinations) {
    List<String> out = new ArrayList<>();
    combinations.forEach(c -> out.add(Arrays.toString(c)));
    return out;
  }
}
