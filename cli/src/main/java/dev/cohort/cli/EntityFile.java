package dev.cohort.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * An array may mix ids and objects. Entity objects hold {@code id} and {@code name} (required),
 * {@code description} and {@code attributes} (a JSON object); other fields are rejected, so a typo
 * is not silently dropped. Every problem is reported at once, naming its place in the file.
 */
final class EntityFile {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final List<String> ENTITY_FIELDS = List.of("id", "name", "description", "attributes");
  private static final int MAX_REPORTED_ERRORS = 5;

  private final List<String> pool;
  private final List<Entity> entities;

  private EntityFile(List<String> pool, List<Entity> entities) {
    this.pool = List.copyOf(pool);
    this.entities = List.copyOf(entities);
  }

  /**
   * Reads and checks {@code file}; problems are reported against {@code option}, the flag or
   * argument that named the file, calling the file {@code shownAs} (its name as the user wrote it).
   *
   * @throws UsageException when the file cannot be read, is not JSON, or has another shape
   */
  static EntityFile read(Path file, String shownAs, String option) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new UsageException(option, "file '" + shownAs + "' does not exist");
    } catch (AccessDeniedException e) {
      throw new UsageException(option, "file '" + shownAs + "' cannot be read (permission denied)");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new UsageException(option, "file '" + shownAs + "' is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UsageException(option, "file '" + shownAs + "' cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new UsageException(option, "file '" + shownAs + "' is empty");
    }
    Reader reader = new Reader();
    reader.root(root);
    if (!reader.errors.isEmpty()) {
      throw new UsageException(option, "file '" + shownAs + "': " + render(reader.errors));
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
            + "{\"entities\": [...]}, but holds " + describe(root));
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
          errors.add("entities must be an array of entity objects, but is " + describe(objects));
        } else {
          for (int i = 0; i < objects.size(); i++) {
            JsonNode element = objects.get(i);
            if (element.isObject()) {
              entity(element, "entities[" + i + "]");
            } else {
              errors.add("entities[" + i + "] must be an entity object, but is " + describe(element));
            }
          }
        }
      }
      JsonNode ids = root.get("entity_ids");
      if (ids != null) {
        Set<String> pool = new LinkedHashSet<>();
        if (!ids.isArray()) {
          errors.add("entity_ids must be an array of strings, but is " + describe(ids));
        } else {
          for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            String path = "entity_ids[" + i + "]";
            if (!id.isTextual() || id.asText().isBlank()) {
              errors.add(path + " must be a non-blank string, but is " + describe(id));
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
          errors.add(path + " must be an entity id (a string) or an entity object, but is " + describe(element));
        }
      }
    }

    private void entity(JsonNode node, String path) {
      String prefix = path.isEmpty() ? "" : path + ".";
      int before = errors.size();
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!ENTITY_FIELDS.contains(name)) {
          errors.add(prefix + name + ": unknown field; an entity has id, name, description and attributes "
              + "(put other facts under attributes)");
        }
      }
      String id = text(node, "id", prefix, true);
      String name = text(node, "name", prefix, true);
      String description = text(node, "description", prefix, false);
      Map<String, @Nullable Object> attributes = Map.of();
      JsonNode attributeNode = node.get("attributes");
      if (attributeNode != null && !attributeNode.isNull()) {
        if (attributeNode.isObject()) {
          attributes = JSON.convertValue(attributeNode, new TypeReference<Map<String, @Nullable Object>>() {});
        } else {
          errors.add(prefix + "attributes must be a JSON object, but is " + describe(attributeNode));
        }
      }
      if (errors.size() > before || id == null || name == null) {
        return;
      }
      try {
        Entity entity = new Entity(id, name, description, attributes);
        if (addId(id, path.isEmpty() ? "id" : prefix + "id")) {
          entities.add(entity);
        }
      } catch (ValidationException e) {
        e.errors().forEach(error -> errors.add(prefix + error.field() + ": " + error.message()));
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

    private @Nullable String text(JsonNode node, String field, String prefix, boolean required) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          errors.add(prefix + field + " is missing");
        }
        return null;
      }
      if (!value.isTextual()) {
        errors.add(prefix + field + " must be a string, but is " + describe(value));
        return null;
      }
      return value.asText();
    }

    private static String describe(JsonNode node) {
      return switch (node.getNodeType()) {
        case ARRAY -> "an array";
        case OBJECT -> "an object";
        case STRING -> "a string";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
        default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      };
    }
  }
}
