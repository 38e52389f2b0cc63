package dev.cohort.core.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The slots of models with an in-flight limit of their own, as the claim loop uses them. */
class ModelSlotsTest {
  private final AtomicInteger wakes = new AtomicInteger();
  private final ModelSlots slots = new ModelSlots(Map.of("alpha", 2, "beta", 3), wakes::incrementAndGet);

  @Test
  void aClaimIsNoLargerThanTheFreeSlotsOfAnyLimitedModelSoEverySimulationItReturnsHasOne() {
    ModelSlots.Reservation first = slots.reserve(8);

    assertThat(first.size()).isEqualTo(2);
    assertThat(first.excluded()).isEmpty();
    // Whatever mix the claim returns, each simulation of a limited model gets a slot.
    assertThat(first.take("alpha")).isEqualTo("alpha");
    assertThat(first.take("alpha")).isEqualTo("alpha");
    first.releaseRest();

    ModelSlots.Reservation second = slots.reserve(8);
    assertThat(second.excluded()).containsExactly("alpha");
    assertThat(second.size()).isEqualTo(3);
    assertThat(second.take("beta")).isEqualTo("beta");
    second.releaseRest();
  }

  @Test
  void aSimulationOfNoModelOrOfAModelWithoutALimitHoldsNoModelSlot() {
    ModelSlots.Reservation reserved = slots.reserve(4);

    assertThat(reserved.take(null)).isNull();
    assertThat(reserved.take("gamma")).isNull();
    reserved.releaseRest();
    assertThat(slots.reserve(4).excluded()).isEmpty();
  }

  @Test
  void aFullModelIsExcludedUntilOneOfItsSlotsIsGivenBackWhichWakesTheCoordinators() {
    ModelSlots.Reservation reserved = slots.reserve(2);
    reserved.take("alpha");
    reserved.take("alpha");
    reserved.releaseRest();
    ModelSlots.Reservation whileFull = slots.reserve(8);
    assertThat(whileFull.excluded()).containsExactly("alpha");
    whileFull.releaseRest();

    slots.release("alpha");

    assertThat(wakes).hasValue(1);
    ModelSlots.Reservation after = slots.reserve(8);
    assertThat(after.excluded()).isEmpty();
    assertThat(after.size()).isEqualTo(1);
    after.releaseRest();
  }

  @Test
  void withoutLimitsNothingIsExcludedAndTheClaimKeepsItsSize() {
    ModelSlots none = new ModelSlots(Map.of(), () -> {});

    ModelSlots.Reservation reserved = none.reserve(8);

    assertThat(reserved.size()).isEqualTo(8);
    assertThat(reserved.excluded()).isEmpty();
    assertThat(reserved.take("alpha")).isNull();
  }
}
