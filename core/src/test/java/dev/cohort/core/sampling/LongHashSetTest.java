package dev.cohort.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

  @Test
  void addsEachKeyOnceIncludingZeroAndNegativeKeys() {
    LongHashSet set = new LongHashSet(4);
    for (long key : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42}) {
      assertThat(set.contains(key)).isFalse();
      assertThat(set.add(key)).isTrue();
      assertThat(set.add(key)).isFalse();
      assertThat(set.contains(key)).isTrue();
    }
    assertThat(set.size()).isEqualTo(5);
  }

  @Test
  void agreesWithAHashSetOverManyKeysAndGrowsPastItsExpectedSize() {
    LongHashSet set = new LongHashSet(16);
    int initial = set.capacity();
    Set<Long> reference = new HashSet<>();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      // Small keys collide often, consecutive ones test the spreading of colex ranks.
      long key = i % 3 == 0 ? random.nextLong(50_000) : i % 3 == 1 ? i : random.nextLong();
      assertThat(set.add(key)).isEqualTo(reference.add(key));
    }
    assertThat(set.size()).isEqualTo(reference.size());
    assertThat(set.capacity()).isGreaterThan(initial);
    for (long key : reference) {
      assertThat(set.contains(key)).isTrue();
    }
    for (int i = 0; i < 10_000; i++) {
      long key = random.nextLong();
      assertThat(set.contains(key)).isEqualTo(reference.contains(key));
    }
  }

  @Test
  void aPresizedSetDoesNotGrow() {
    LongHashSet set = new LongHashSet(100_000);
    int capacity = set.capacity();
    for (long i = 0; i < 100_000; i++) {
      set.add(i * 7919);
    }
    assertThat(set.capacity()).isEqualTo(capacity);
    assertThat(capacity).isLessThanOrEqualTo(1 << 18);
  }

  @Test
  void aNegativeExpectedSizeIsRejected() {
    assertThatThrownBy(() -> new LongHashSet(-1)).hasMessageContaining("expected");
  }
}
