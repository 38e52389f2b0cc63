package dev.cohort.core.export;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Entity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A batch's entity snapshot indexed by id, so rows can show names and descriptions without a
 * linear search per simulation.
 */
final class EntitySnapshot {
  private final Map<String, Entity> byId;

  private EntitySnapshot(List<Entity> entities) {
    Map<String, Entity> index = new HashMap<>();
    for (Entity entity : entities) {
      index.put(entity.id(), entity);
    }
    this.byId = index;
  }

  static EntitySnapshot of(Batch batch) {
    return new EntitySnapshot(batch.entities());
  }

  /** The entity's name, or null when the snapshot does not hold it. */
  @Nullable String name(String id) {
    Entity entity = byId.get(id);
    return entity == null ? null : entity.name();
  }

  /** The entity's description, or null when it has none or the snapshot does not hold it. */
  @Nullable String description(String id) {
    Entity entity = byId.get(id);
    return entity == null ? null : entity.description();
  }
}
