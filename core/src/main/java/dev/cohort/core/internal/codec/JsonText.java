package dev.cohort.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cohort.core.batch.ValidationException;
import java.io.IOException;

/**
 * Parses request bodies strictly: one JSON document and nothing after it, no duplicate keys, no
 * comments or non-numeric numbers, nesting and number length bounded so a hostile body cannot
 * exhaust the stack or the CPU. Every failure becomes a {@link ValidationException} on the field
 * {@code body} whose message names the position, never the parser's internal text.
 */
final class RequestJson {
  /** Deepest nesting of objects and arrays a body may have; metadata rarely needs more than 5. */
  static final int MAX_NESTING_DEPTH = 64;
  /** Most characters in one JSON number. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_NESTING_DEPTH)
              .maxNumberLength(MAX_NUMBER_LENGTH)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      // Keep 2.0 as the client wrote it, so "must be a whole number, was 2.0" makes sense.
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private RequestJson() {}

  /**
   * The body as a JSON tree.
   *
   * @throws ValidationException on {@code body} when it is empty or not one well-formed JSON value
   */
  static JsonNode parse(byte[] body) {
    if (isBlank(body)) {
      throw new ValidationException("body", "is empty; send a JSON document");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new ValidationException("body", "is empty; send a JSON document");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new ValidationException("body", "exceeds the JSON limits of this server: at most "
          + MAX_NESTING_DEPTH + " levels of nesting and numbers of at most " + MAX_NUMBER_LENGTH + " characters");
    } catch (JsonProcessingException e) {
      String original = e.getOriginalMessage();
      String what = original != null && original.startsWith("Duplicate field")
          ? "has a field that appears twice in one object"
          : original != null && original.startsWith("Trailing token")
              ? "has more content after the JSON document"
              : "is not valid JSON";
      throw new ValidationException("body", what + where(e.getLocation()));
    } catch (IOException e) {
      // The only other failure reading from a byte array: bytes that are not UTF-8 text.
      throw new ValidationException("body", "is not valid UTF-8 JSON");
    }
  }

  private static String where(JsonLocation location) {
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
}
