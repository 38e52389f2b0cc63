package dev.cohort.core.internal.design;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.SpeakingOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpeakingOrdersTest {

  @Test
  void rotateOpensWithEachMemberEquallyOftenAcrossReplicates() {
    List<List<String>> groups = List.of(List.of("a", "b", "c"), List.of("a", "d", "e"), List.of("b", "c", "d", "e"));
    for (List<String> group : groups) {
      SpeakingOrders orders = new SpeakingOrders(SpeakingOrder.ROTATE);
      int k = group.size();
      Map<String, Integer> first = new HashMap<>();
      Set<List<String>> seen = new HashSet<>();
      for (int r = 0; r < 3 * k; r++) {
        List<String> order = orders.order(group, r);
        assertThat(order).containsExactlyInAnyOrderElementsOf(group);
        first.merge(order.get(0), 1, Integer::sum);
        seen.add(order);
      }
      assertThat(first).hasSize(k).allSatisfy((member, count) -> assertThat(count).isEqualTo(3));
      // A cyclic Latin square: k distinct rotations, each position held by each member once per cycle.
      assertThat(seen).hasSize(k);
    }
  }

  @Test
  void rotateOpensWithTheMemberWhoHasOpenedLeast() {
    SpeakingOrders orders = new SpeakingOrders(SpeakingOrder.ROTATE);
    assertThat(orders.order(List.of("a", "b"), 0)).containsExactly("a", "b");
    assertThat(orders.order(List.of("a", "c"), 0)).containsExactly("c", "a");
    assertThat(orders.order(List.of("b", "c"), 0)).containsExactly("b", "c");
  }

  @Test
  void fixedKeepsThePlannedOrder() {
    SpeakingOrders orders = new SpeakingOrders(SpeakingOrder.FIXED);
    assertThat(orders.order(List.of("c", "a", "b"), 2)).containsExactly("c", "a", "b");
  }
}
