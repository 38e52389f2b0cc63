package dev.cohort.http;

import dev.cohort.core.batch.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits and decodes the raw path and query of a request URI. Decoding is strict: a {@code %} not
 * followed by two hex digits, or bytes that are not UTF-8, are refused rather than guessed at, so
 * the id a handler sees is exactly the one the client encoded.
 */
final class UriComponents {
  private UriComponents() {}

  /**
   * The decoded segments of a raw path, without the leading slash; one trailing slash is ignored.
   * {@code /api/entities/a%2Fb} gives {@code [api, entities, a/b]}.
   *
   * @throws ValidationException on {@code path} when a segment is badly encoded
   */
  static List<String> pathSegments(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    List<String> segments = new ArrayList<>();
    if (path.isEmpty()) {
      return segments;
    }
    for (String raw : path.split("/", -1)) {
      segments.add(decode(raw, false, "path"));
    }
    return segments;
  }

  /**
   * Decodes one component of a URI: {@code %XX} escapes as UTF-8 bytes and, in a query, {@code +}
   * as a space.
   *
   * @throws ValidationException on {@code field} when the component is badly encoded
   */
  static String decode(String raw, boolean plusIsSpace, String field) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw new ValidationException(field, "has a % that is not followed by two hex digits");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        int end = i + 1;
        while (end < raw.length() && raw.charAt(end) != '%' && raw.charAt(end) != '+') {
          end++;
        }
        byte[] run = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
        bytes.write(run, 0, run.length);
        i = end - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ValidationException(field, "is percent-encoded but not as UTF-8");
    }
  }

  /** Encodes a value as one path segment: every byte but the unreserved characters as {@code %XX}. */
  static String encodeSegment(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
