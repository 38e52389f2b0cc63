package dev.cohort.analysis;

import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The pool's categorical attributes: those whose values are all text or booleans, with at least two
 * and at most {@value #MAX_VALUES} distinct values (more is an identifier or free text, not a
 * category), at least one of them shared by two entities (a value of its own for each entity is a
 * label, not a category).
 */
final class CategoricalAttributes {
  static final int MAX_VALUES = 12;

  /**
   * One categorical attribute.
   *
   * @param name the attribute
   * @param values its distinct values as text, in order of first appearance in the pool
   * @param valueIndex for each pool entity (by pool index), the index of its value in {@code
   *     values}, or −1 when it has none
   */
  record Attribute(String name, List<String> values, int[] valueIndex) {}

  private CategoricalAttributes() {}

  static List<Attribute> of(List<Entity> pool) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    Set<String> rejected = new LinkedHashSet<>();
    for (Entity e : pool) {
      for (Map.Entry<String, @Nullable Object> a : e.attributes().entrySet()) {
        Object v = a.getValue();
        if (v == null) {
          continue;
        }
        if (!(v instanceof String) && !(v instanceof Boolean)) {
          rejected.add(a.getKey());
          continue;
        }
        values.computeIfAbsent(a.getKey(), k -> new LinkedHashSet<>()).add(v.toString());
      }
    }
    List<Attribute> attributes = new ArrayList<>();
    for (Map.Entry<String, Set<String>> a : values.entrySet()) {
      long holders = pool.stream().filter(e -> e.attributes().get(a.getKey()) != null).count();
      int valueCount = a.getValue().size();
      // A category groups entities: one value for all, or a value of its own for each, compares nothing.
      if (rejected.contains(a.getKey()) || valueCount > MAX_VALUES || valueCount < 2 || valueCount == holders) {
        continue;
      }
      List<String> distinct = List.copyOf(a.getValue());
      int[] index = new int[pool.size()];
      for (int i = 0; i < pool.size(); i++) {
        Object v = pool.get(i).attributes().get(a.getKey());
        index[i] = v == null ? -1 : distinct.indexOf(v.toString());
      }
      attributes.add(new Attribute(a.getKey(), distinct, index));
    }
    return attributes;
  }
}
