package dev.cohort.core.internal.design;

import dev.cohort.core.batch.Entity;

/** An entity's attribute as the text constraints and coverage compare: "none" when it has none. */
final class AttributeText {
  /** What an entity without the attribute (or with null) shows. */
  static final String NONE = "none";

  private AttributeText() {}

  /** A string as it is; a number, boolean, list or object as Java prints it; {@value #NONE} when absent. */
  static String of(Entity entity, String attribute) {
    Object value = entity.attributes().get(attribute);
    return value == null ? NONE : value.toString();
  }
}
