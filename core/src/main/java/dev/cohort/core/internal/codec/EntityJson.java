package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of an entity, {@code {"id", "name", "description", "attributes"}}: {@code id} and
 * {@code name} required strings, {@code description} an optional string, {@code attributes} an
 * optional JSON object. Other fields are refused, so a typo is not silently dropped.
 */
public final class EntityJson {
  /** Every field an entity object may hold. */
  public static final List<String> FIELDS = List.of("id", "name", "description", "attributes");

  private static final String HINT = " (put other facts under attributes)";

  private EntityJson() {}

  /** The entities of a document, and whether it held a single object rather than an array. */
  public record Parsed(List<Entity> entities, boolean single) {}

  /**
   * The entities a document holds: one entity object, or a non-empty array of them whose errors
   * name the element, as in {@code entities[2].name}.
   *
   * @param field how errors name the whole document, such as {@code body}
   * @throws ValidationException naming every bad field
   */
  public static Parsed readOneOrMany(JsonNode document, String field) {
    List<FieldError> errors = new ArrayList<>();
    List<Entity> entities = new ArrayList<>();
    boolean single = document.isObject();
    if (single) {
      add(entities, read(document, field, "", errors));
    } else if (document.isArray()) {
      if (document.isEmpty()) {
        errors.add(new FieldError(field, "is an empty array; send at least one entity"));
      }
      for (int i = 0; i < document.size(); i++) {
        String path = "entities[" + i + "]";
        add(entities, read(document.get(i), path, path + ".", errors));
      }
    } else {
      errors.add(new FieldError(field,
          "must be an entity object or an array of them, was " + JsonFields.describe(document)));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Parsed(entities, single);
  }

  /**
   * The entity {@code node} describes, or null with every problem recorded in {@code errors}.
   *
   * @param path how errors name {@code node} itself, such as {@code entities[2]}
   * @param prefix put before each field name in errors, such as {@code entities[2].}; empty for none
   */
  public static @Nullable Entity read(JsonNode node, String path, String prefix, List<FieldError> errors) {
    return read(node, path, prefix, errors, true);
  }

  private static @Nullable Entity read(
      JsonNode node, String path, String prefix, List<FieldError> errors, boolean strict) {
    JsonFields fields = strict ? JsonFields.of(node, path, prefix, errors) : JsonFields.ofStored(node, path, prefix, errors);
    if (fields == null) {
      return null;
    }
    int before = errors.size();
    fields.rejectUnknown(FIELDS, HINT);
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

  /** Writes an entity as {@code {id, name, description, attributes}}. */
  public static void write(JsonGenerator gen, Entity entity) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", entity.id());
    gen.writeStringField("name", entity.name());
    gen.writeStringField("description", entity.description());
    gen.writeFieldName("attributes");
    JsonText.writeValue(gen, entity.attributes());
    gen.writeEndObject();
  }

  /** The JSON array of {@code entities}, as a batch's entity snapshot is stored. */
  public static String writeList(List<Entity> entities) {
    return JsonText.write(gen -> {
      gen.writeStartArray();
      for (Entity entity : entities) {
        write(gen, entity);
      }
      gen.writeEndArray();
    });
  }

  /** The entities of a stored JSON array written by {@link #writeList}. */
  public static List<Entity> readList(String json) {
    return JsonText.readStored(json, "entity list", node -> {
      List<FieldError> errors = new ArrayList<>();
      List<Entity> entities = new ArrayList<>();
      if (!node.isArray()) {
        throw new ValidationException("entities", "must be an array, was " + JsonFields.describe(node));
      }
      for (int i = 0; i < node.size(); i++) {
        String path = "entities[" + i + "]";
        add(entities, read(node.get(i), path, path + ".", errors, false));
      }
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return entities;
    });
  }

  /** The JSON object of an entity's attributes, as stored beside its other columns. */
  public static String writeAttributes(Entity entity) {
    return JsonText.write(gen -> JsonText.writeValue(gen, entity.attributes()));
  }

  /** Attributes stored by {@link #writeAttributes}. */
  public static Map<String, @Nullable Object> readAttributes(String json) {
    return JsonText.readStored(json, "attributes", node -> {
      if (!node.isObject()) {
        throw new ValidationException("attributes", "must be a JSON object, was " + JsonFields.describe(node));
      }
      List<FieldError> errors = new ArrayList<>();
      Map<String, @Nullable Object> attributes = JsonFields.objectValue(node, "attributes", errors, false);
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return attributes;
    });
  }

  private static void add(List<Entity> entities, @Nullable Entity entity) {
    if (entity != null) {
      entities.add(entity);
    }
  }
}
