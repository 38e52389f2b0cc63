package dev.cohort.core.internal.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.DeclaredOutcome.Per;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model's extraction answer and checks it against the declaration: JSON (bare or in a code
 * fence), every outcome present, each value of its type, numbers within range, enum values among
 * the declared ones, entity answers naming a participant of this simulation, and a per-participant
 * outcome holding exactly one value for each participant. Either the values (entity answers as
 * entity ids, per-participant values keyed by entity id) or every problem found, in one sentence
 * the re-ask can quote.
 */
final class OutcomeAnswer {
  private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*\\s*\\n?(.*?)```", Pattern.DOTALL);

  /** What an answer gave: the values, or the problems that make it unusable. */
  record Checked(Map<String, @Nullable Object> values, List<String> problems) {
    boolean usable() {
      return problems.isEmpty();
    }
  }

  private OutcomeAnswer() {}

  static Checked check(String answer, List<DeclaredOutcome> outcomes, Participants participants) {
    List<String> problems = new ArrayList<>();
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    String body = answer.strip();
    Matcher fence = FENCE.matcher(body);
    if (fence.find()) {
      body = fence.group(1).strip();
    }
    JsonNode root;
    try {
      root = JsonText.parse(body.getBytes(StandardCharsets.UTF_8), "answer");
    } catch (ValidationException e) {
      problems.add("it is not one JSON object (" + e.getMessage() + ")");
      return new Checked(Map.of(), problems);
    }
    if (!root.isObject()) {
      problems.add("it is a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
          + ", not an object with one key per outcome");
      return new Checked(Map.of(), problems);
    }
    for (DeclaredOutcome o : outcomes) {
      JsonNode node = root.get(o.name());
      if (node == null || node.isNull()) {
        problems.add("\"" + o.name() + "\" is missing");
        continue;
      }
      if (o.per() == Per.SIMULATION) {
        Object value = value(o, node, "\"" + o.name() + "\"", participants, problems);
        if (value != null) {
          values.put(o.name(), value);
        }
        continue;
      }
      if (!node.isObject()) {
        problems.add("\"" + o.name() + "\" must be an object with one value for each participant ("
            + String.join(", ", participants.labels()) + ")");
        continue;
      }
      Map<String, @Nullable Object> each = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String id = participants.idOf(field.getKey());
        String path = "\"" + o.name() + "\" for " + field.getKey();
        if (id == null) {
          problems.add("\"" + o.name() + "\" has a value for \"" + field.getKey() + "\", who is not a participant");
        } else if (each.containsKey(id)) {
          problems.add("\"" + o.name() + "\" has more than one value for " + field.getKey());
        } else {
          Object value = value(o, field.getValue(), path, participants, problems);
          each.put(id, value);
        }
      }
      participants.byLabel().forEach((label, entity) -> {
        if (!each.containsKey(entity.id())) {
          problems.add("\"" + o.name() + "\" has no value for " + label);
        }
      });
      values.put(o.name(), each);
    }
    return problems.isEmpty() ? new Checked(values, List.of()) : new Checked(Map.of(), problems);
  }

  private static @Nullable Object value(DeclaredOutcome o, JsonNode node, String path, Participants participants,
      List<String> problems) {
    switch (o.type()) {
      case BOOLEAN -> {
        if (node.isBoolean()) {
          return node.booleanValue();
        }
        problems.add(path + " must be true or false, was " + node);
      }
      case INTEGER -> {
        if (node.isNumber() && isWhole(node)) {
          long value = node.decimalValue().longValue();
          if (inRange(o, value, path, problems)) {
            // The type a stored value reads back as: Integer when it fits, as for metadata.
            return value == (int) value ? (Object) (int) value : (Object) value;
          }
        } else {
          problems.add(path + " must be a whole number, was " + node);
        }
      }
      case NUMBER -> {
        if (node.isNumber() && Double.isFinite(node.doubleValue())) {
          double value = node.doubleValue();
          if (inRange(o, value, path, problems)) {
            return value;
          }
        } else {
          problems.add(path + " must be a number, was " + node);
        }
      }
      case ENUM -> {
        if (node.isTextual()) {
          for (String allowed : o.values()) {
            if (allowed.equalsIgnoreCase(node.textValue().strip())) {
              return allowed;
            }
          }
        }
        problems.add(path + " must be one of " + String.join(", ", o.values()) + ", was " + node);
      }
      case ENTITY -> {
        String id = node.isTextual() ? participants.idOf(node.textValue()) : null;
        if (id != null) {
          return id;
        }
        problems.add(path + " must name one participant (" + String.join(", ", participants.labels()) + "), was "
            + node);
      }
      case STRING -> {
        if (node.isTextual()) {
          return node.textValue();
        }
        problems.add(path + " must be a string, was " + node);
      }
    }
    return null;
  }

  private static boolean isWhole(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong();
    }
    BigDecimal d = node.decimalValue();
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(1e15)) < 0;
  }

  private static boolean inRange(DeclaredOutcome o, double value, String path, List<String> problems) {
    if ((o.min() != null && value < o.min()) || (o.max() != null && value > o.max())) {
      problems.add(path + " must be from " + bound(o, o.min()) + " to " + bound(o, o.max()) + ", was "
          + (o.type() == DeclaredOutcome.Type.INTEGER ? String.valueOf((long) value) : String.valueOf(value)));
      return false;
    }
    return true;
  }

  private static String bound(DeclaredOutcome o, @Nullable Double bound) {
    if (bound == null) {
      return "any";
    }
    return o.type() == DeclaredOutcome.Type.INTEGER ? String.valueOf(bound.longValue()) : String.valueOf(bound);
  }
}
