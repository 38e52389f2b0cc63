package dev.cohort.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the body of {@code POST /api/entities} into entities: one object {@code {id, name,
 * description, attributes}} or a non-empty array of them. Errors inside an array name the element,
 * as in {@code entities[2].name}.
 */
final class EntityReader {
  /** Every field an entity object may hold. */
  static final List<String> FIELDS = List.of("id", "name", "description", "attributes");

  private EntityReader() {}

  /** The entities of a body, and whether it held a single object rather than an array. */
  record Parsed(List<Entity> entities, boolean single) {}

  /**
   * The entities the body describes.
   *
   * @throws ValidationException naming every bad field
   */
  static Parsed read(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    List<Entity> entities = new ArrayList<>();
    boolean single = body.isObject();
    if (single) {
      add(entities, entity(body, "body", "", errors));
    } else if (body.isArray()) {
      if (body.isEmpty()) {
        errors.add(new FieldError("body", "is an empty array; send at least one entity"));
      }
      for (int i = 0; i < body.size(); i++) {
        String path = "entities[" + i + "]";
        add(entities, entity(body.get(i), path, path + ".", errors));
      }
    } else {
      errors.add(new FieldError("body",
          "must be an entity object or an array of them, was " + JsonFields.describe(body)));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Parsed(entities, single);
  }

  private static @Nullable Entity entity(JsonNode node, String path, String prefix, List<FieldError> errors) {
    JsonFields fields = JsonFields.of(node, path, prefix, errors);
    if (fields == null) {
      return null;
    }
    int before = errors.size();
    fields.rejectUnknown(FIELDS);
    String id = fields.text("id", true);
    String name = fields.text("name", true);
    String description = fields.text("description", false);
    Map<String, @Nullable Object> attributes = fields.object("attributes");
    if (errors.size() > before || id == null || name == null) {
      return null;
    }
    try {
      return new Entity(id, name, description, attributes == null ? Map.of() : attributes);
    } catch (ValidationException e) {
      e.errors().forEach(error -> errors.add(new FieldError(prefix + error.field(), error.message())));
      return null;
    }
  }

  private static void add(List<Entity> entities, @Nullable Entity entity) {
    if (entity != null) {
      entities.add(entity);
    }
  }
}
