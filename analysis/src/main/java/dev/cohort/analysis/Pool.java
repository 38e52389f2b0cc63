package dev.cohort.analysis;

import dev.cohort.core.batch.Entity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The batch's entities by pool index, with their categorical attributes. */
final class Pool {
  private final List<Entity> entities;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<CategoricalAttributes.Attribute> attributes;

  Pool(List<Entity> entities) {
    this.entities = List.copyOf(entities);
    for (int i = 0; i < this.entities.size(); i++) {
      index.put(this.entities.get(i).id(), i);
    }
    this.attributes = CategoricalAttributes.of(this.entities);
  }

  int size() {
    return entities.size();
  }

  Entity entity(int i) {
    return entities.get(i);
  }

  /** The pool index of the entity, or −1 when it is not in the pool. */
  int indexOf(String entityId) {
    return index.getOrDefault(entityId, -1);
  }

  /** The entity's name, or its id when it is not in the pool. */
  String nameOf(String entityId) {
    int i = indexOf(entityId);
    return i < 0 ? entityId : entities.get(i).name();
  }

  List<CategoricalAttributes.Attribute> attributes() {
    return attributes;
  }

  /** The pool indexes of the simulation's participants (those in the pool). */
  int[] members(List<String> entityIds) {
    return entityIds.stream().mapToInt(this::indexOf).filter(i -> i >= 0).toArray();
  }
}
