package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON text in and out, configured once for all of Cohort. Reading is strict: one JSON document and
 * nothing after it, no duplicate keys, no comments or non-numeric numbers; input from outside (a
 * request body, a user's file) is further bounded in nesting and number length so a hostile
 * document cannot exhaust the stack or the CPU. Every failure becomes a {@link ValidationException}
 * on the field the caller names, whose message gives the position, never the parser's internal
 * text. Writing is UTF-8 with non-ASCII characters (emoji included) as they are, and timestamps
 * always in UTC with exactly three fractional digits ({@code 2026-11-30T08:07:36.705Z}).
 */
public final class JsonText {
  /** Deepest nesting of objects and arrays outside input may have; metadata rarely needs more than 5. */
  public static final int MAX_NESTING_DEPTH = 64;
  /** Most characters in one JSON number of outside input. */
  public static final int MAX_NUMBER_LENGTH = 100;

  private static final JsonFactory OUTPUT = new JsonFactoryBuilder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      // Without this, characters beyond the BMP (emoji) come out as pairs of escaped surrogates.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .rootValueSeparator((String) null)
      .build();

  private static final ObjectMapper UNTRUSTED = mapper(StreamReadConstraints.builder()
      .maxNestingDepth(MAX_NESTING_DEPTH)
      .maxNumberLength(MAX_NUMBER_LENGTH)
      .build());

  // What Cohort wrote itself may nest as deep as the domain model allows (100 levels of metadata).
  private static final ObjectMapper STORED = mapper(StreamReadConstraints.defaults());

  private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private JsonText() {}

  private static ObjectMapper mapper(StreamReadConstraints constraints) {
    return JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // Keep 2.5 as the client wrote it, so "must be a whole number, was 2.5" makes sense.
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();
  }

  // ---- reading ----

  /**
   * Parses JSON from outside Cohort (a request body, a user's file) as a tree.
   *
   * @param field how errors name the document, such as {@code body}
   * @throws ValidationException on {@code field} when it is empty or not one well-formed JSON value
   */
  public static JsonNode parse(byte[] json, String field) {
    if (isBlank(json)) {
      throw new ValidationException(field, "is empty; send a JSON document");
    }
    try {
      JsonNode node = UNTRUSTED.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new ValidationException(field, "is empty; send a JSON document");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new ValidationException(field, "exceeds the JSON limits of this server: at most " + MAX_NESTING_DEPTH
          + " levels of nesting and numbers of at most " + MAX_NUMBER_LENGTH + " characters");
    } catch (JsonProcessingException e) {
      String original = e.getOriginalMessage();
      String what = original != null && original.startsWith("Duplicate field")
          ? "has a field that appears twice in one object"
          : original != null && original.startsWith("Trailing token")
              ? "has more content after the JSON document"
              : "is not valid JSON";
      throw new ValidationException(field, what + where(e.getLocation()));
    } catch (IOException e) {
      // The only other failure reading from a byte array: bytes that are not UTF-8 text.
      throw new ValidationException(field, "is not valid UTF-8 JSON");
    }
  }

  /**
   * Parses JSON that Cohort wrote itself, such as a database column.
   *
   * @throws CohortException when it is not readable, which means the store was damaged
   */
  public static JsonNode parseStored(String json) {
    try {
      return STORED.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CohortException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads stored JSON with {@code reader}; a {@link ValidationException} from it means the store
   * holds what Cohort never writes, and becomes a {@link CohortException} saying so.
   */
  static <T> T readStored(String json, String what, java.util.function.Function<JsonNode, T> reader) {
    try {
      return reader.apply(parseStored(json));
    } catch (ValidationException e) {
      throw new CohortException("the stored " + what + " is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * The JSON object {@code node} as plain Java values (maps, lists, strings, numbers, booleans,
   * null), with the checks every text from outside gets.
   *
   * @param field how errors name it, such as {@code metadata}
   * @throws ValidationException naming every bad value by its path ({@code metadata.wave})
   */
  public static Map<String, @Nullable Object> object(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new ValidationException(field, "must be a JSON object, was " + JsonFields.describe(node));
    }
    List<ValidationException.FieldError> errors = new ArrayList<>();
    Map<String, @Nullable Object> value = JsonFields.objectValue(node, field, errors, true);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return value;
  }

  /** A stored JSON array of strings. */
  public static List<String> strings(String json) {
    return readStored(json, "list of strings", node -> {
      List<ValidationException.FieldError> errors = new ArrayList<>();
      List<String> values = JsonFields.textArray(node, "value", errors, false);
      if (values == null) {
        throw new ValidationException(errors);
      }
      return values;
    });
  }

  /** The JSON array of {@code values}. */
  public static String strings(List<String> values) {
    return write(gen -> writeStrings(gen, values));
  }

  /** How a value looks to a user: "a string", "an array", "null"... */
  public static String describe(JsonNode node) {
    return JsonFields.describe(node);
  }

  private static String where(@Nullable JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  // ---- writing ----

  /** Something that writes one JSON value to a generator. */
  @FunctionalInterface
  public interface Writing {
    /** Writes the value. */
    void writeTo(JsonGenerator gen) throws IOException;
  }

  /** The compact JSON text {@code writing} produces. */
  public static String write(Writing writing) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = createGenerator(out)) {
      writing.writeTo(gen);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string failed", e);
    }
    return out.toString();
  }

  /**
   * A UTF-8 generator configured as every Cohort JSON output is: non-ASCII characters, emoji
   * included, written as they are (never as escape sequences), no separator between root values,
   * and the stream left open when the generator is closed.
   */
  public static JsonGenerator createGenerator(OutputStream out) throws IOException {
    return OUTPUT.createGenerator(out, JsonEncoding.UTF8);
  }

  /** A generator like {@link #createGenerator(OutputStream)}'s, writing characters. */
  public static JsonGenerator createGenerator(Writer out) throws IOException {
    return OUTPUT.createGenerator(out);
  }

  /**
   * The form of every timestamp Cohort writes: UTC, exactly three fractional digits ({@code
   * 2026-11-30T08:07:36.705Z}); finer digits are dropped.
   */
  public static String instant(Instant instant) {
    return MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** Writes {@code field} as a timestamp in the form of {@link #instant(Instant)}, or null. */
  public static void writeInstant(JsonGenerator gen, String field, @Nullable Instant instant) throws IOException {
    gen.writeStringField(field, instant == null ? null : instant(instant));
  }

  /** Writes {@code values} as an array of strings. */
  public static void writeStrings(JsonGenerator gen, List<String> values) throws IOException {
    gen.writeStartArray();
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
  }

  /**
   * Writes a JSON-shaped value as held by the domain model: a map with string keys, a list, a
   * string, a number, a boolean or null.
   *
   * @throws IllegalArgumentException for any other kind of value
   */
  public static void writeValue(JsonGenerator gen, @Nullable Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof String s) {
      gen.writeString(s);
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      gen.writeNumber(d);
    } else if (value instanceof Float f) {
      gen.writeNumber(f);
    } else if (value instanceof BigDecimal d) {
      gen.writeNumber(d);
    } else if (value instanceof BigInteger i) {
      gen.writeNumber(i);
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        gen.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(gen, entry.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object element : list) {
        writeValue(gen, element);
      }
      gen.writeEndArray();
    } else {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " is not a JSON value");
    }
  }
}
