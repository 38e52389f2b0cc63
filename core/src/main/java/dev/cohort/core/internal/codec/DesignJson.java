package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.DesignType;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The study-design fields of a request's JSON: {@code design {type, groups,
 * allow_duplicate_groups}}, {@code constraints {distinct_by, require [{attribute, value, min,
 * max}]}}, {@code speaking_order} and, in a stored request only, {@code extensions
 * [{num_simulations, planned_groups, first_sequence_number}]}. Part of {@link BatchRequestJson}.
 */
final class DesignJson {
  /** The request fields this class reads and writes. */
  static final List<String> FIELDS = List.of("design", "constraints", "speaking_order", "extensions");

  private static final List<String> DESIGN_FIELDS = List.of("type", "groups", "allow_duplicate_groups");
  private static final List<String> CONSTRAINT_FIELDS = List.of("distinct_by", "require");
  private static final List<String> REQUIREMENT_FIELDS = List.of("attribute", "value", "min", "max");
  private static final List<String> EXTENSION_FIELDS = List.of("num_simulations", "planned_groups",
      "first_sequence_number");

  private DesignJson() {}

  /** Whether the request object asks for an explicit design (then num_simulations may be left out). */
  static boolean isExplicit(JsonNode request) {
    JsonNode design = request.get("design");
    return design != null && design.isObject() && "explicit".equals(design.path("type").asText(""));
  }

  /** Reads the design fields of {@code request} into {@code builder}, recording every problem. */
  static void read(JsonNode request, boolean strict, List<FieldError> errors, BatchRequest.Builder builder) {
    JsonNode design = request.get("design");
    if (design != null && !design.isNull()) {
      Design d = design(design, strict, errors);
      if (d != null) {
        builder.design(d);
      }
    }
    JsonNode constraints = request.get("constraints");
    if (constraints != null && !constraints.isNull()) {
      Constraints c = constraints(constraints, strict, errors);
      if (c != null) {
        builder.constraints(c);
      }
    }
    JsonNode order = request.get("speaking_order");
    if (order != null && !order.isNull()) {
      if (!order.isTextual()) {
        errors.add(new FieldError("speaking_order", "must be a string, was " + JsonFields.describe(order)));
      } else {
        try {
          builder.speakingOrder(SpeakingOrder.fromWireName(order.textValue()));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("speaking_order", e.getMessage()));
        }
      }
    }
    JsonNode extensions = request.get("extensions");
    if (extensions != null && !extensions.isNull()) {
      if (strict) {
        errors.add(new FieldError("extensions", "is recorded by extend and cannot be given when creating a batch"));
      } else {
        builder.extensions(extensions(extensions, errors));
      }
    }
  }

  private static @Nullable Design design(JsonNode node, boolean strict, List<FieldError> errors) {
    JsonFields fields = fields(node, "design", strict, errors);
    if (fields == null) {
      return null;
    }
    fields.rejectUnknown(DESIGN_FIELDS);
    String typeName = fields.text("type", true);
    if (typeName == null) {
      return null;
    }
    DesignType type;
    try {
      type = DesignType.fromWireName(typeName);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("design.type", e.getMessage()));
      return null;
    }
    List<List<String>> groups = new ArrayList<>();
    JsonNode groupsNode = node.get("groups");
    if (groupsNode != null && !groupsNode.isNull()) {
      if (!groupsNode.isArray()) {
        errors.add(new FieldError("design.groups", "must be an array of arrays of entity ids, was "
            + JsonFields.describe(groupsNode)));
        return null;
      }
      for (int i = 0; i < groupsNode.size(); i++) {
        List<String> group = JsonFields.textArray(groupsNode.get(i), "design.groups[" + i + "]", errors, strict);
        if (group != null) {
          groups.add(group);
        }
      }
    }
    JsonNode allow = node.get("allow_duplicate_groups");
    boolean allowDuplicates = false;
    if (allow != null && !allow.isNull()) {
      if (!allow.isBoolean()) {
        errors.add(new FieldError("design.allow_duplicate_groups", "must be true or false, was "
            + JsonFields.describe(allow)));
      } else {
        allowDuplicates = allow.booleanValue();
      }
    }
    return new Design(type, groups, allowDuplicates);
  }

  private static @Nullable Constraints constraints(JsonNode node, boolean strict, List<FieldError> errors) {
    JsonFields fields = fields(node, "constraints", strict, errors);
    if (fields == null) {
      return null;
    }
    fields.rejectUnknown(CONSTRAINT_FIELDS);
    List<String> distinctBy = fields.texts("distinct_by", false);
    List<Requirement> require = new ArrayList<>();
    JsonNode requireNode = node.get("require");
    if (requireNode != null && !requireNode.isNull()) {
      if (!requireNode.isArray()) {
        errors.add(new FieldError("constraints.require", "must be an array of {attribute, value, min, max}, was "
            + JsonFields.describe(requireNode)));
        return null;
      }
      for (int i = 0; i < requireNode.size(); i++) {
        Requirement r = requirement(requireNode.get(i), "constraints.require[" + i + "]", strict, errors);
        if (r != null) {
          require.add(r);
        }
      }
    }
    return new Constraints(distinctBy == null ? List.of() : distinctBy, require);
  }

  private static @Nullable Requirement requirement(JsonNode node, String path, boolean strict, List<FieldError> errors) {
    JsonFields fields = fields(node, path, strict, errors);
    if (fields == null) {
      return null;
    }
    fields.rejectUnknown(REQUIREMENT_FIELDS);
    String attribute = fields.text("attribute", true);
    JsonNode valueNode = node.get("value");
    String value = null;
    if (valueNode == null || valueNode.isNull()) {
      errors.add(new FieldError(path + ".value", "is required"));
    } else if (valueNode.isTextual() || valueNode.isNumber() || valueNode.isBoolean()) {
      value = valueNode.asText();
    } else {
      errors.add(new FieldError(path + ".value", "must be a string, number or boolean, was "
          + JsonFields.describe(valueNode)));
    }
    Integer min = count(node, "min", path, errors);
    Integer max = count(node, "max", path, errors);
    if (attribute == null || value == null) {
      return null;
    }
    return new Requirement(attribute, value, min == null ? 1 : min, max);
  }

  /** A whole number 0 or more, or null when absent or (with an error) not one. */
  private static @Nullable Integer count(JsonNode node, String field, String path, List<FieldError> errors) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
      errors.add(new FieldError(path + "." + field, "must be a whole number, 0 or more, was " + n.asText()));
      return null;
    }
    return n.intValue();
  }

  private static List<Extension> extensions(JsonNode node, List<FieldError> errors) {
    List<Extension> out = new ArrayList<>();
    if (!node.isArray()) {
      errors.add(new FieldError("extensions", "must be an array, was " + JsonFields.describe(node)));
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String path = "extensions[" + i + "]";
      JsonFields fields = JsonFields.ofStored(node.get(i), path, path + ".", errors);
      if (fields == null) {
        continue;
      }
      fields.rejectUnknown(EXTENSION_FIELDS);
      Integer m = fields.integer("num_simulations", true, Integer.MAX_VALUE);
      Integer planned = fields.integer("planned_groups", true, Integer.MAX_VALUE);
      Integer first = fields.integer("first_sequence_number", true, Integer.MAX_VALUE);
      if (m != null && planned != null && first != null) {
        out.add(new Extension(m, planned, first));
      }
    }
    return out;
  }

  private static @Nullable JsonFields fields(JsonNode node, String path, boolean strict, List<FieldError> errors) {
    return strict ? JsonFields.of(node, path, path + ".", errors) : JsonFields.ofStored(node, path, path + ".", errors);
  }

  /** Writes the design fields: design and speaking_order always, constraints and extensions when there are any. */
  static void write(JsonGenerator gen, BatchRequest request) throws IOException {
    Design design = request.design();
    gen.writeObjectFieldStart("design");
    gen.writeStringField("type", design.type().wireName());
    if (design.type() == DesignType.EXPLICIT) {
      gen.writeArrayFieldStart("groups");
      for (List<String> group : design.groups()) {
        JsonText.writeStrings(gen, group);
      }
      gen.writeEndArray();
      if (design.allowDuplicateGroups()) {
        gen.writeBooleanField("allow_duplicate_groups", true);
      }
    }
    gen.writeEndObject();
    Constraints constraints = request.constraints();
    if (!constraints.isEmpty()) {
      gen.writeObjectFieldStart("constraints");
      gen.writeFieldName("distinct_by");
      JsonText.writeStrings(gen, constraints.distinctBy());
      gen.writeArrayFieldStart("require");
      for (Requirement r : constraints.require()) {
        gen.writeStartObject();
        gen.writeStringField("attribute", r.attribute());
        gen.writeStringField("value", r.value());
        gen.writeNumberField("min", r.min());
        if (r.max() != null) {
          gen.writeNumberField("max", r.max());
        }
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeStringField("speaking_order", request.speakingOrder().wireName());
    if (!request.extensions().isEmpty()) {
      gen.writeArrayFieldStart("extensions");
      for (Extension e : request.extensions()) {
        gen.writeStartObject();
        gen.writeNumberField("num_simulations", e.numSimulations());
        gen.writeNumberField("planned_groups", e.plannedGroups());
        gen.writeNumberField("first_sequence_number", e.firstSequenceNumber());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
  }
}
