package dev.cohort.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, as the routes see them: path parameters, query, a size-limited
 * JSON body, and answers in the API's envelope. Every response carries {@code Cache-Control:
 * no-store} and {@code X-Content-Type-Options: nosniff}: the API serves data, never pages.
 */
final class ApiExchange {
  /** Response bytes held back before a JSON answer starts streaming (see {@link ResponseStream}). */
  static final int RESPONSE_BUFFER_BYTES = 64 * 1024;
  /** A body over the limit is read and dropped up to this many times the limit before the 413. */
  static final int DRAIN_FACTOR = 4;
  private static final String JSON = "application/json; charset=utf-8";

  /** Writes the {@code data} member of a success envelope. */
  @FunctionalInterface
  interface JsonBody {
    void write(JsonGenerator gen) throws IOException;
  }

  private final HttpExchange http;
  private final int maxBodyBytes;
  private Map<String, String> pathParameters = Map.of();
  private @Nullable QueryParameters query;
  private @Nullable ResponseStream response;

  ApiExchange(HttpExchange http, int maxBodyBytes) {
    this.http = http;
    this.maxBodyBytes = maxBodyBytes;
  }

  String method() {
    return http.getRequestMethod();
  }

  String rawPath() {
    String path = http.getRequestURI().getRawPath();
    return path == null ? "" : path;
  }

  void pathParameters(Map<String, String> parameters) {
    this.pathParameters = Map.copyOf(parameters);
  }

  /** A parameter of the route's path, such as the batch id; the router has already checked it. */
  String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("the route has no path parameter " + name);
    }
    return value;
  }

  QueryParameters query() {
    QueryParameters parsed = query;
    if (parsed == null) {
      parsed = QueryParameters.parse(http.getRequestURI().getRawQuery());
      query = parsed;
    }
    return parsed;
  }

  /** Every value of a request header. */
  List<String> headers(String name) {
    List<String> values = http.getRequestHeaders().get(name);
    return values == null ? List.of() : values;
  }

  /**
   * The body as JSON.
   *
   * @throws ApiException 415 when it is declared as something other than JSON in UTF-8, 413 when
   *     it is larger than the limit
   * @throws ValidationException when it is not one well-formed JSON document
   */
  JsonNode jsonBody() throws IOException {
    checkContentType();
    return JsonText.parse(body(), "body");
  }

  /**
   * The body as JSON, or null when the request has no body (an optional body, such as resume's).
   *
   * @throws ApiException as {@link #jsonBody()} does
   * @throws ValidationException when a body is given but is not one well-formed JSON document
   */
  @Nullable JsonNode optionalJsonBody() throws IOException {
    byte[] body = body();
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return null;
    }
    checkContentType();
    return JsonText.parse(body, "body");
  }

  private void checkContentType() {
    List<String> types = headers("Content-Type");
    if (types.isEmpty()) {
      return; // A client that says nothing gets the benefit of the doubt: the body must still parse.
    }
    String[] parts = types.get(0).split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (types.size() > 1 || !(mediaType.equals("application/json") || mediaType.endsWith("+json"))) {
      throw ApiException.unsupportedMediaType("Content-Type must be application/json");
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")) {
        String charset = parameter.substring("charset=".length()).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw ApiException.unsupportedMediaType("the request body must be UTF-8; charset=utf-8 or none");
        }
      }
    }
  }

  private byte[] body() throws IOException {
    String declared = http.getRequestHeaders().getFirst("Content-Length");
    InputStream in = http.getRequestBody();
    if (declared != null && Long.parseLong(declared.trim()) > maxBodyBytes) {
      throw tooLarge(in);
    }
    byte[] body;
    try {
      body = in.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      // The JDK server's only complaint about a body is that it ended before its declared length;
      // if the client has gone, answering fails in turn and the connection is dropped.
      throw new ValidationException("body", "ended before the length the request declared");
    }
    if (body.length > maxBodyBytes) {
      throw tooLarge(in);
    }
    return body;
  }

  /**
   * A 413, after reading and dropping the rest of the body when it is not too much: a server that
   * closes a connection with unread bytes makes TCP reset it, and the client then loses the answer
   * it was about to read.
   */
  private ApiException tooLarge(InputStream in) {
    long budget = (long) maxBodyBytes * DRAIN_FACTOR;
    // read(), not skip(): on Java 17 the body stream's skip() bypasses the body's length and
    // blocks reading the connection beyond it.
    byte[] sink = new byte[8192];
    try {
      int read;
      while (budget > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, budget))) >= 0) {
        budget -= read;
      }
    } catch (IOException e) {
      // The client gave up sending; the answer may still reach it.
    }
    return ApiException.tooLarge(maxBodyBytes);
  }

  /** Answers {@code {"status":"success","data":…}}. */
  void success(int status, JsonBody data) throws IOException {
    success(status, data, Map.of());
  }

  /** Answers {@code {"status":"success","data":…}} with extra headers, such as {@code Location}. */
  void success(int status, JsonBody data, Map<String, String> headers) throws IOException {
    ResponseStream out = open(status, JSON, RESPONSE_BUFFER_BYTES, headers);
    // No try-with-resources: closing the generator after a failure would flush a truncated
    // document into the response; on failure the caller answers with an error instead.
    JsonGenerator gen = JsonText.createGenerator(out);
    gen.writeStartObject();
    gen.writeStringField("status", "success");
    gen.writeFieldName("data");
    data.write(gen);
    gen.writeEndObject();
    gen.close();
    out.close();
  }

  /**
   * A file download: the returned stream sends headers at its first byte and streams chunked, so
   * nothing is buffered whatever the size. Close it to end the body, and only on success: closing
   * it after a failure would send what was written as if it were complete.
   */
  OutputStream download(String mediaType, String fileName) {
    return open(200, mediaType, 0, Map.of("Content-Disposition", "attachment; filename=\"" + fileName + "\""));
  }

  /**
   * Answers 200 with {@code body}, already complete, as {@code mediaType} (a page such as the HTML
   * report), with extra headers such as {@code Content-Security-Policy}.
   */
  void page(String mediaType, byte[] body, Map<String, String> headers) throws IOException {
    ResponseStream out = open(200, mediaType, 0, headers);
    out.write(body);
    out.close();
  }

  /**
   * Answers {@code {"status":"error","message":…}}, with an {@code errors} array of fields when
   * there are any, replacing whatever response was started but not yet sent.
   *
   * @throws IllegalStateException when a response was already committed
   */
  void error(int status, String message, List<FieldError> errors, Map<String, String> headers) throws IOException {
    ResponseStream started = response;
    if (started != null) {
      started.discard();
      http.getResponseHeaders().clear();
    }
    ResponseStream out = open(status, JSON, RESPONSE_BUFFER_BYTES, headers);
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("status", "error");
      gen.writeStringField("message", message);
      if (!errors.isEmpty()) {
        gen.writeArrayFieldStart("errors");
        for (FieldError error : errors) {
          gen.writeStartObject();
          gen.writeStringField("field", error.field());
          gen.writeStringField("message", error.message());
          gen.writeEndObject();
        }
        gen.writeEndArray();
      }
      gen.writeEndObject();
    }
    out.close();
  }

  /** Whether part of the response has reached the client, so its status can no longer change. */
  boolean committed() {
    ResponseStream started = response;
    return started != null && started.committed();
  }

  private ResponseStream open(int status, String contentType, int bufferBytes, Map<String, String> headers) {
    if (committed()) {
      throw new IllegalStateException("a response was already sent");
    }
    Headers out = http.getResponseHeaders();
    out.set("Content-Type", contentType);
    out.set("Cache-Control", "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    headers.forEach(out::set);
    ResponseStream stream = new ResponseStream(http, status, bufferBytes, method().equals("HEAD"));
    response = stream;
    return stream;
  }
}
