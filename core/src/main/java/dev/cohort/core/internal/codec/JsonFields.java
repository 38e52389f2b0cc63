package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of one JSON object with exact types, collecting every problem as a {@link
 * FieldError} named by the field's path ({@code n_turns}, {@code entities[2].name}) instead of
 * failing at the first. A string is never taken for a number, a number never for a boolean, and a
 * decimal never for a whole number. Text is refused when it holds a NUL character or an unpaired
 * UTF-16 surrogate, which no store and no UTF-8 writer can keep faithfully. A whole-number field
 * takes a number with a zero fraction ({@code 2.0}) as the whole number it is.
 *
 * <p>{@code null} counts as absent: an optional field given as {@code null} takes its default.
 */
final class JsonFields {
  /** Stands for a whole number too large for any field, without building its digits. */
  private static final BigInteger OUT_OF_RANGE = BigInteger.ONE.shiftLeft(64);

  private final JsonNode object;
  private final String prefix;
  private final List<FieldError> errors;
  private final boolean strict;

  private JsonFields(JsonNode object, String prefix, List<FieldError> errors, boolean strict) {
    this.object = object;
    this.prefix = prefix;
    this.errors = errors;
    this.strict = strict;
  }

  /**
   * A reader of {@code node}'s fields, or null (with an error recorded) when {@code node} is not an
   * object.
   *
   * @param path how to name {@code node} in errors, such as {@code body} or {@code entities[2]}
   * @param prefix put before each field name in errors: empty for the body, {@code entities[2].}
   */
  static @Nullable JsonFields of(JsonNode node, String path, String prefix, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError(path, "must be a JSON object, was " + describe(node)));
      return null;
    }
    return new JsonFields(node, prefix, errors, true);
  }

  /**
   * Like {@link #of}, for JSON Cohort stored itself: text is taken as it is, since what the Java
   * API accepted must read back unchanged.
   */
  static @Nullable JsonFields ofStored(JsonNode node, String path, String prefix, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError(path, "must be a JSON object, was " + describe(node)));
      return null;
    }
    return new JsonFields(node, prefix, errors, false);
  }

  /** Records an error for every field not in {@code known}. */
  void rejectUnknown(Collection<String> known) {
    rejectUnknown(known, "");
  }

  /** Records an error for every field not in {@code known}, ending its message with {@code hint}. */
  void rejectUnknown(Collection<String> known, String hint) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        errors.add(new FieldError(prefix + printable(name),
            "is not a known field; known fields are " + String.join(", ", known) + hint));
      }
    }
  }

  /** Whether the object has {@code field} with a value other than null. */
  boolean has(String field) {
    JsonNode node = object.get(field);
    return node != null && !node.isNull();
  }

  /** A reader of the object-valued {@code field}, or null when it is absent or (with an error) not an object. */
  @Nullable JsonFields nested(String field) {
    JsonNode node = present(field, false);
    if (node == null) {
      return null;
    }
    return strict ? of(node, prefix + field, prefix + field + ".", errors)
        : ofStored(node, prefix + field, prefix + field + ".", errors);
  }

  /** A string field; null when absent (recording an error if {@code required}) or malformed. */
  @Nullable String text(String field, boolean required) {
    JsonNode node = present(field, required);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      error(field, "must be a string, was " + describe(node));
      return null;
    }
    return checkedText(node.textValue(), prefix + field, errors, strict);
  }

  /**
   * A whole-number field that must fit an {@code int}; a value beyond that range is reported as
   * outside {@code 1..max}, the range every such field of the API has.
   */
  @Nullable Integer integer(String field, boolean required, int max) {
    BigInteger value = wholeNumber(field, required);
    if (value == null) {
      return null;
    }
    if (value.bitLength() > 31) {
      error(field, "must be between 1 and " + max + ", was " + object.get(field).asText());
      return null;
    }
    return value.intValue();
  }

  /** A whole-number field that must fit a {@code long}. */
  @Nullable Long longInteger(String field) {
    BigInteger value = wholeNumber(field, false);
    if (value == null) {
      return null;
    }
    if (value.bitLength() > 63) {
      error(field, "must be between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE + ", was " + object.get(field).asText());
      return null;
    }
    return value.longValue();
  }

  /** A number field, whole or decimal, as a finite double. */
  @Nullable Double decimal(String field) {
    JsonNode node = present(field, false);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      error(field, "must be a number, was " + describe(node));
      return null;
    }
    double value = node.doubleValue();
    if (Double.isInfinite(value)) {
      error(field, "is too large a number");
      return null;
    }
    return value;
  }

  /** An array-of-strings field. */
  @Nullable List<String> texts(String field, boolean required) {
    JsonNode node = present(field, required);
    if (node == null) {
      return null;
    }
    return textArray(node, prefix + field, errors, strict);
  }

  /** The strings of {@code node}, or null with errors recorded when it is not an array of strings. */
  static @Nullable List<String> textArray(JsonNode node, String path, List<FieldError> errors, boolean strict) {
    if (!node.isArray()) {
      errors.add(new FieldError(path, "must be an array of strings, was " + describe(node)));
      return null;
    }
    List<String> values = new ArrayList<>(node.size());
    boolean ok = true;
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      String elementPath = path + "[" + i + "]";
      if (!element.isTextual()) {
        errors.add(new FieldError(elementPath, "must be a string, was " + describe(element)));
        ok = false;
      } else {
        String value = checkedText(element.textValue(), elementPath, errors, strict);
        ok &= value != null;
        values.add(value == null ? "" : value);
      }
    }
    return ok ? values : null;
  }

  /** A JSON-object field as plain Java values (maps, lists, strings, numbers, booleans, null). */
  @Nullable Map<String, @Nullable Object> object(String field) {
    JsonNode node = present(field, false);
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      error(field, "must be a JSON object, was " + describe(node));
      return null;
    }
    int before = errors.size();
    Map<String, @Nullable Object> value = objectValue(node, prefix + field, errors, strict);
    return errors.size() == before ? value : null;
  }

  private @Nullable BigInteger wholeNumber(String field, boolean required) {
    JsonNode node = present(field, required);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      error(field, "must be a whole number, was " + describe(node));
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue();
    }
    // 2.0 is the whole number 2, however a client's JSON library chose to print it.
    BigDecimal decimal = node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText());
    BigDecimal stripped = decimal.stripTrailingZeros();
    if (decimal.signum() != 0 && stripped.scale() > 0) {
      error(field, "must be a whole number, was " + node.asText());
      return null;
    }
    // 1e999999999 is whole but has a billion digits: never build it, it is out of range anyway.
    return stripped.precision() - stripped.scale() > 20 ? OUT_OF_RANGE : decimal.toBigInteger();
  }

  private @Nullable JsonNode present(String field, boolean required) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    return node;
  }

  private void error(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  /** A JSON object as plain Java values, recording errors under {@code path}. */
  static Map<String, @Nullable Object> objectValue(
      JsonNode node, String path, List<FieldError> errors, boolean strict) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = checkedText(field.getKey(), path + " key", errors, strict);
      if (key != null) {
        map.put(key, value(field.getValue(), path + "." + key, errors, strict));
      }
    }
    return map;
  }

  // Recursion is bounded by the parser's nesting limit.
  private static @Nullable Object value(JsonNode node, String path, List<FieldError> errors, boolean strict) {
    return switch (node.getNodeType()) {
      case OBJECT -> objectValue(node, path, errors, strict);
      case ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          list.add(value(node.get(i), path + "[" + i + "]", errors, strict));
        }
        yield list;
      }
      case STRING -> checkedText(node.textValue(), path, errors, strict);
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> number(node, path, errors);
      default -> null;
    };
  }

  private static @Nullable Object number(JsonNode node, String path, List<FieldError> errors) {
    if (node.isIntegralNumber()) {
      // The smallest type that holds it, as Jackson maps numbers: equal to what a Java caller
      // would have written (Map.of("age", 36) holds an Integer).
      if (node.canConvertToInt()) {
        return node.intValue();
      }
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    BigDecimal exact = node.decimalValue();
    double value = exact.doubleValue();
    if (Double.isInfinite(value)) {
      errors.add(new FieldError(path, "is too large a number"));
      return null;
    }
    return value;
  }

  /**
   * The text, or null with an error recorded when it holds a NUL or an unpaired surrogate; when
   * not {@code strict}, the text as it is.
   */
  static @Nullable String checkedText(String text, String path, List<FieldError> errors, boolean strict) {
    if (!strict) {
      return text;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        errors.add(new FieldError(path, "contains a NUL character"));
        return null;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        errors.add(new FieldError(path, "contains an unpaired UTF-16 surrogate, which is not valid Unicode"));
        return null;
      }
    }
    return text;
  }

  /** How a value looks to a client: "a string", "an array", "null"... */
  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "not a JSON value";
    };
  }

  // Unknown field names are echoed to the client: keep them short and free of control characters.
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(64).forEach(cp ->
        out.appendCodePoint(Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE ? '?' : cp));
    return name.codePointCount(0, name.length()) > 64 ? out.append('…').toString() : out.toString();
  }
}
