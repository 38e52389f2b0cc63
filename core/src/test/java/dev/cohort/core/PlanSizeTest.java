package dev.cohort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ValidationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlanSizeTest {
  private static BatchRequest request(int poolSize, int k, int n, int replicates) {
    return BatchRequest.builder().name("N").context("C")
        .entityIds(IntStream.rangeClosed(1, poolSize).mapToObj(i -> "e" + i).toList())
        .interactionSize(k).numSimulations(n).replicates(replicates).build();
  }

  @Test
  void combinationsAreCountedUpToTheCap() {
    assertThat(PlanSize.combinationsUpTo(10, 2, 1000)).isEqualTo(45);
    assertThat(PlanSize.combinationsUpTo(30, 5, 1_000_000)).isEqualTo(142_506);
    assertThat(PlanSize.combinationsUpTo(30, 5, 1000)).isEqualTo(1000);
    assertThat(PlanSize.combinationsUpTo(100_000, 50_000, 10)).isEqualTo(10);
    assertThat(PlanSize.combinationsUpTo(4, 4, 10)).isEqualTo(1);
  }

  @Test
  void aPlanAboveTheLimitIsRefusedNamingTheFieldThatPushedItOver() {
    assertThatThrownBy(() -> PlanSize.check(request(30, 5, 200_000, 1), 100_000))
        .isInstanceOf(ValidationException.class)
        .hasMessage("num_simulations: the batch would plan 142506 simulations "
            + "(min(C(n,k), num_simulations) × replicates); at most 100000 fit in one batch");
    assertThatThrownBy(() -> PlanSize.check(request(10, 2, 45, 3), 100))
        .hasMessageStartingWith("replicates: the batch would plan 135 simulations");
    assertThatCode(() -> PlanSize.check(request(10, 2, 1_000, 2), 90)).doesNotThrowAnyException();
  }
}
