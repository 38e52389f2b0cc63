package dev.cohort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.internal.codec.EntityJson;
import dev.cohort.core.internal.codec.JsonText;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON file of entities or entity ids, in any of the shapes the original system's script and
 * Cohort's own files use:
 *
 * <ul>
 *   <li>an array of ids: {@code ["e1", "e2"]};
 *   <li>{@code {"entity_ids": ["e1", "e2"]}};
 *   <li>an array of entity objects: {@code [{"id": "e1", "name": "Maya", "description": "…",
 *       "attributes": {…}}]};
 *   <li>{@code {"entities": [ …objects… ]}}, optionally with {@code "entity_ids"} beside it to pick
 *       the pool out of the entities it defines;
 *   <li>one entity object.
 * </ul>
 *
 * An array may mix ids and objects. Entity objects are read by the codec every Cohort entrance
 * shares ({@link EntityJson}): {@code id} and {@code name} (required), {@code description} and
 * {@code attributes} (a JSON object); other fields are rejected, so a typo is not silently dropped.
 * Every problem is reported at once, naming its place in the file.
 */
final class EntityFile {
  private static final int MAX_REPORTED_ERRORS = 5;

  private final List<String> pool;
  private final List<Entity> entities;

  private EntityFile(List<String> pool, List<Entity> entities) {
    this.pool = List.copyOf(pool);
    this.entities = List.copyOf(entities);
  }

  /**
   * Reads and checks {@code file}; problems are reported against {@code option}, the flag that
   * named the file, calling the file {@code shownAs} (its name as the user wrote it). With no
   * option (a positional argument) the message starts with the file itself.
   *
   * @throws UsageException when the file cannot be read, is not JSON, or has another shape
   */
  static EntityFile read(Path file, String shownAs, @Nullable String option) {
    String subject = (option == null ? "" : option + ": ") + "file '" + shownAs + "'";
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw UsageException.plain(subject + " does not exist");
    } catch (AccessDeniedException e) {
      throw UsageException.plain(subject + " cannot be read (permission denied)");
    } catch (IOException e) {
      throw UsageException.plain(subject + " cannot be read: " + e.getMessage());
    }
    JsonNode root;
    try {
      root = JsonText.parse(bytes, "file");
    } catch (ValidationException e) {
      // One error on "file": that it is empty, or not JSON and where.
      throw UsageException.plain(subject + " " + e.errors().get(0).message());
    }
    Reader reader = new Reader();
    reader.root(root);
    if (!reader.errors.isEmpty()) {
      throw UsageException.plain(subject + ": " + render(reader.errors));
    }
    return new EntityFile(reader.pool(), reader.entities);
  }

  /** The entity objects the file defines, in file order. */
  List<Entity> entities() {
    return entities;
  }

  /** The pool it names ({@code entity_ids} when given, else every id and object in order) and what to import. */
  EntitySelection selection() {
    return new EntitySelection(pool, entities);
  }

  private static String render(List<String> errors) {
    List<String> shown = errors.subList(0, Math.min(errors.size(), MAX_REPORTED_ERRORS));
    String more = errors.size() > shown.size() ? "; and " + (errors.size() - shown.size()) + " more problems" : "";
    return String.join("; ", shown) + more;
  }

  /** Walks the tree once, collecting ids, entities and every problem with its path. */
  private static final class Reader {
    final List<String> errors = new ArrayList<>();
    final List<Entity> entities = new ArrayList<>();
    final Set<String> listed = new LinkedHashSet<>();
    @Nullable Set<String> explicitPool;

    void root(JsonNode root) {
      if (root.isArray()) {
        mixed(root, "");
      } else if (root.isObject() && (root.has("entities") || root.has("entity_ids"))) {
        wrapper(root);
      } else if (root.isObject()) {
        entity(root, "");
      } else {
        errors.add("must hold an array of entity ids or entity objects, {\"entity_ids\": [...]} or "
            + "{\"entities\": [...]}, but holds " + JsonText.describe(root));
      }
      if (errors.isEmpty() && pool().isEmpty()) {
        errors.add("holds no entities or entity ids");
      }
    }

    List<String> pool() {
      return new ArrayList<>(explicitPool != null ? explicitPool : listed);
    }

    private void wrapper(JsonNode root) {
      for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("entities") && !name.equals("entity_ids")) {
          errors.add("unknown field '" + name + "' (expected \"entities\" and/or \"entity_ids\")");
        }
      }
      JsonNode objects = root.get("entities");
      if (objects != null) {
        if (!objects.isArray()) {
          errors.add("entities must be an array of entity objects, but is " + JsonText.describe(objects));
        } else {
          for (int i = 0; i < objects.size(); i++) {
            JsonNode element = objects.get(i);
            if (element.isObject()) {
              entity(element, "entities[" + i + "]");
            } else {
              errors.add("entities[" + i + "] must be an entity object, but is " + JsonText.describe(element));
            }
          }
        }
      }
      JsonNode ids = root.get("entity_ids");
      if (ids != null) {
        Set<String> pool = new LinkedHashSet<>();
        if (!ids.isArray()) {
          errors.add("entity_ids must be an array of strings, but is " + JsonText.describe(ids));
        } else {
          for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            String path = "entity_ids[" + i + "]";
            if (!id.isTextual() || id.asText().isBlank()) {
              errors.add(path + " must be a non-blank string, but is " + JsonText.describe(id));
            } else if (!pool.add(id.asText())) {
              errors.add(path + ": entity id '" + id.asText() + "' is given twice");
            }
          }
        }
        explicitPool = pool;
      }
    }

    private void mixed(JsonNode array, String prefix) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        String path = prefix + "[" + i + "]";
        if (element.isTextual()) {
          addId(element.asText(), path);
        } else if (element.isObject()) {
          entity(element, path);
        } else {
          errors.add(path + " must be an entity id (a string) or an entity object, but is " + JsonText.describe(element));
        }
      }
    }

    private void entity(JsonNode node, String path) {
      List<FieldError> problems = new ArrayList<>();
      Entity entity = EntityJson.read(node, path.isEmpty() ? "entity" : path, path.isEmpty() ? "" : path + ".", problems);
      problems.forEach(problem -> errors.add(problem.toString()));
      if (entity != null && addId(entity.id(), path.isEmpty() ? "id" : path + ".id")) {
        entities.add(entity);
      }
    }

    private boolean addId(String id, String path) {
      if (id.isBlank()) {
        errors.add(path + " is a blank entity id");
        return false;
      }
      if (!listed.add(id)) {
        errors.add(path + ": entity id '" + id + "' appears twice");
        return false;
      }
      return true;
    }
  }
}
