package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A persona that takes part in simulations. The model sees its name, description and attributes,
 * never its id.
 *
 * @param id unique, non-blank, at most 200 characters
 * @param name non-blank; how the model and the transcript call the entity
 * @param description who the entity is, or null
 * @param attributes free-form JSON values (age, occupation, beliefs…), shown to the model
 */
public record Entity(
    String id, String name, @Nullable String description, Map<String, @Nullable Object> attributes) {

  /** Longest accepted id. */
  public static final int MAX_ID_LENGTH = 200;

  /**
   * @throws ValidationException naming each bad field
   */
  public Entity {
    List<FieldError> errors = new ArrayList<>();
    if (id == null || id.isBlank()) {
      errors.add(new FieldError("id", "must not be blank"));
    } else if (id.length() > MAX_ID_LENGTH) {
      errors.add(new FieldError("id", "is " + id.length() + " characters; at most " + MAX_ID_LENGTH + " are allowed"));
    }
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("name", "must not be blank"));
    }
    Map<String, @Nullable Object> copied = Map.of();
    if (attributes != null) {
      try {
        copied = JsonValues.copyObject(attributes, "attributes");
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("attributes", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    attributes = copied;
  }

  /** An entity with a name and a description and no attributes. */
  public static Entity of(String id, String name, @Nullable String description) {
    return new Entity(id, name, description, Map.of());
  }
}
