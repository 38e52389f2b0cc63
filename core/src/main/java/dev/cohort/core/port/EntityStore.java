package dev.cohort.core.port;

import dev.cohort.core.batch.Entity;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The entity pool: the personas batches draw their participants from. One of the three roles of a
 * {@link RepositoryPort}; code that only manages entities depends on this role alone.
 *
 * <p>Implementations are thread-safe.
 */
public interface EntityStore {

  /** Inserts the entities, replacing any stored ones with the same ids. */
  void saveEntities(Collection<Entity> entities);

  /** The entity with this id. */
  Optional<Entity> findEntity(String id);

  /** The stored entities among {@code ids}, in the order of {@code ids}; unknown ids are skipped. */
  List<Entity> findEntities(Collection<String> ids);

  /** Every stored entity, ordered by id. */
  List<Entity> listEntities();

  /** Deletes the entity; batches keep their snapshot of it. Returns whether it existed. */
  boolean deleteEntity(String id);
}
