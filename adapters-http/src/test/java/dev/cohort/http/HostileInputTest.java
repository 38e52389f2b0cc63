package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed and hostile requests: each must be answered with a 4xx error envelope (no
 * stack trace, no internals), and the server must stay healthy after all of them.
 */
class HostileInputTest {
  static final String BATCHES = "/api/batch-simulations";
  static final String ENTITIES = "/api/entities";
  static final String JSON = "application/json";

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(4);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One request of the corpus. */
  record Case(String name, String method, String path, byte @Nullable [] body, @Nullable String contentType) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case post(String name, String path, String body) {
    return new Case(name, "POST", path, body.getBytes(StandardCharsets.UTF_8), JSON);
  }

  static Case post(String name, String path, byte[] body, @Nullable String contentType) {
    return new Case(name, "POST", path, body, contentType);
  }

  static Case get(String name, String path) {
    return new Case(name, "GET", path, null, null);
  }

  static Case delete(String name, String path) {
    return new Case(name, "DELETE", path, null, null);
  }

  static String nested(String open, String inner, String close, int depth) {
    return open.repeat(depth) + inner + close.repeat(depth);
  }

  static final String VALID_TAIL = "\"context\": \"c\", \"entity_ids\": [\"entity-id-1\", \"entity-id-2\"], "
      + "\"interaction_size\": 1, \"num_simulations\": 1";

  static Stream<Case> corpus() {
    List<Case> cases = new ArrayList<>(List.of(
        // truncated and malformed JSON
        post("truncated object", BATCHES, "{\"name\": \"x\", \"context\": \"c\", \"entity_ids\": [\"entity-id-1\""),
        post("lone open brace", BATCHES, "{"),
        post("lone close brace", BATCHES, "}"),
        post("lone open bracket", BATCHES, "["),
        post("unterminated string", BATCHES, "{\"name\": \"abc"),
        post("single quotes", BATCHES, "{'name': 'x'}"),
        post("comment", BATCHES, "/* hello */ {\"name\": \"x\"}"),
        post("NaN literal", BATCHES, "{\"name\": \"x\", \"temperature\": NaN, " + VALID_TAIL + "}"),
        post("Infinity literal", BATCHES, "{\"name\": \"x\", \"temperature\": Infinity, " + VALID_TAIL + "}"),
        post("leading zeros", BATCHES, "{\"name\": \"x\", \"n_turns\": 007, " + VALID_TAIL + "}"),
        post("trailing garbage", BATCHES, "{\"name\": \"x\", " + VALID_TAIL + "} trailing"),
        post("two documents", BATCHES, "{} {}"),
        // wrong shapes
        post("null document", BATCHES, "null"),
        post("string document", BATCHES, "\"just a string\""),
        post("number document", BATCHES, "42"),
        post("boolean document", BATCHES, "true"),
        post("empty array for a batch", BATCHES, "[]"),
        post("array of objects for a batch", BATCHES, "[{}]"),
        post("array where metadata object belongs", BATCHES, "{\"name\": \"x\", \"metadata\": [], " + VALID_TAIL + "}"),
        post("object where entity ids array belongs", BATCHES, "{\"name\": \"x\", \"context\": \"c\", \"entity_ids\": {}, "
            + "\"interaction_size\": 1, \"num_simulations\": 1}"),
        post("operator object where a string belongs", BATCHES, "{\"name\": {\"$ne\": null}, " + VALID_TAIL + "}"),
        post("prototype pollution key", BATCHES, "{\"__proto__\": {\"admin\": true}, \"name\": \"x\", " + VALID_TAIL + "}"),
        post("array where entity attributes belong", ENTITIES, "{\"id\": \"a\", \"name\": \"A\", \"attributes\": []}"),
        post("empty entity array", ENTITIES, "[]"),
        post("entity array of numbers", ENTITIES, "[1, 2, 3]"),
        // depth and size
        post("10,000 nested arrays", BATCHES, nested("[", "", "]", 10_000)),
        post("10,000 nested objects in metadata", BATCHES,
            "{\"name\": \"x\", \"metadata\": " + nested("{\"a\": ", "1", "}", 10_000) + ", " + VALID_TAIL + "}"),
        post("10,000 nested arrays in entity attributes", ENTITIES,
            "{\"id\": \"deep\", \"name\": \"Deep\", \"attributes\": {\"a\": " + nested("[", "", "]", 10_000) + "}}"),
        post("number with 5,000 digits", BATCHES, "{\"name\": \"x\", \"n_turns\": " + "9".repeat(5000) + ", " + VALID_TAIL + "}"),
        post("huge exponent", BATCHES, "{\"name\": \"x\", \"num_simulations\": 1e999999999, " + VALID_TAIL.replace(", \"num_simulations\": 1", "") + "}"),
        post("int overflow", BATCHES, "{\"name\": \"x\", \"interaction_size\": 2147483648, " + VALID_TAIL.replace("\"interaction_size\": 1, ", "") + "}"),
        post("negative zero simulations", BATCHES, "{\"name\": \"x\", \"num_simulations\": -0, " + VALID_TAIL.replace(", \"num_simulations\": 1", "") + "}"),
        post("field name of 10,000 characters", BATCHES, "{\"" + "k".repeat(10_000) + "\": 1, \"name\": \"x\", " + VALID_TAIL + "}"),
        // text content
        post("NUL in a name", BATCHES, "{\"name\": \"a\\u0000b\", " + VALID_TAIL + "}"),
        post("unpaired surrogate in context", BATCHES, "{\"name\": \"x\", \"context\": \"\\udc00\", "
            + "\"entity_ids\": [\"entity-id-1\"], \"interaction_size\": 1, \"num_simulations\": 1}"),
        post("invalid UTF-8 bytes", BATCHES, concat("{\"name\": \"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\", " + VALID_TAIL + "}"), JSON),
        post("overlong UTF-8 encoding", BATCHES, concat("{\"name\": \"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\", " + VALID_TAIL + "}"), JSON),
        post("zero-width space in a field name", BATCHES, "{\"n\u200b_turns\": 2, \"name\": \"x\", " + VALID_TAIL + "}"),
        post("unicode entity ids that do not exist", BATCHES, "{\"name\": \"名前 🎉 مرحبا\", \"context\": \"‮reversed‬\", "
            + "\"entity_ids\": [\"ユーザー\", \"😀\"], \"interaction_size\": 1, \"num_simulations\": 1}"),
        post("duplicate keys", BATCHES, "{\"name\": \"x\", \"name\": \"y\", " + VALID_TAIL + "}"),
        // SQL-looking input
        post("SQL in entity ids", BATCHES, "{\"name\": \"x\", \"context\": \"c\", \"entity_ids\": [\"1' OR '1'='1\", "
            + "\"x'); DROP TABLE batches; --\"], \"interaction_size\": 1, \"num_simulations\": 1}"),
        get("SQL in a path id", BATCHES + "/" + UriComponents.encodeSegment("1' OR '1'='1")),
        delete("SQL in an entity path id", ENTITIES + "/" + UriComponents.encodeSegment("x'; DELETE FROM entities; --")),
        get("SQL in a query", BATCHES + "?limit=" + UriComponents.encodeSegment("1; DROP TABLE batches")),
        // path traversal and odd ids
        get("encoded traversal in an entity id", ENTITIES + "/..%2F..%2Fetc%2Fpasswd"),
        get("dot-dot id", ENTITIES + "/%2e%2e"),
        get("dot id", BATCHES + "/%2E/status"),
        get("traversal segments", BATCHES + "/../../etc/passwd"),
        get("traversal in export format", BATCHES + "/some-id/export?format=..%2F..%2Fetc%2Fpasswd"),
        get("NUL in an id", ENTITIES + "/a%00b"),
        get("newline in an id", BATCHES + "/a%0D%0ASet-Cookie:%20x=y"),
        get("id of 201 characters", ENTITIES + "/" + "i".repeat(201)),
        get("invalid UTF-8 in an id", ENTITIES + "/%C3%28"),
        get("blank id", ENTITIES + "/%20%20"),
        get("header injection in a query", BATCHES + "/x/export?format=json%0D%0AX-Injected:%201"),
        get("double slash", "//api//batch-simulations"),
        // wrong content types and empty bodies
        post("text/plain body", BATCHES, "{}".getBytes(StandardCharsets.UTF_8), "text/plain"),
        post("form body", BATCHES, "name=x&context=y".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"),
        post("XML body", BATCHES, "<batch><name>x</name></batch>".getBytes(StandardCharsets.UTF_8), "application/xml"),
        post("multipart body", ENTITIES, "--b\r\n\r\nx\r\n--b--".getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=b"),
        post("UTF-16 charset", BATCHES, "{}".getBytes(StandardCharsets.UTF_16), "application/json; charset=utf-16"),
        post("empty body", BATCHES, new byte[0], JSON),
        post("whitespace body", ENTITIES, "  \r\n\t ".getBytes(StandardCharsets.UTF_8), JSON),
        new Case("delete on the collection", "DELETE", BATCHES, null, null),
        new Case("TRACE", "TRACE", "/api/health", null, null)));
    return cases.stream();
  }

  static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileRequestIsAnsweredWithAClientErrorEnvelope(Case request) {
    HttpRequest.Builder builder = server.api.request(request.path());
    HttpRequest.BodyPublisher body = request.body() == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(request.body());
    builder.method(request.method(), body);
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }

    ApiClient.Response response = server.api.send(builder);

    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    JsonNode json = response.json();
    assertThat(json.get("status").asText()).isEqualTo("error");
    assertThat(json.get("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "jackson", "\tat ", "at dev.cohort", "at java.");
    assertThat(response.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(response.headers().map()).doesNotContainKeys("Set-Cookie", "X-Injected", "set-cookie", "x-injected");
  }

  @Test
  void corpusHoldsAtLeastFortyCases() {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void malformedRequestLineGetsAClientErrorFromTheJdkServer() throws IOException {
    String answer = raw("GARBAGE\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
  }

  @Test
  void badPercentEncodingInTheRequestTargetIsRefused() throws IOException {
    String answer = raw("GET /api/entities/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
  }

  @Test
  void conflictingLengthHeadersAreRefused() throws IOException {
    String answer = raw("POST /api/entities HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
  }

  @Test
  void bodyShorterThanItsDeclaredLengthIsABadRequest() throws IOException {
    String answer = raw("POST /api/entities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\nConnection: close\r\n\r\n{\"id\": \"a\"", true);

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("\"status\":\"error\"");
  }

  @Test
  void serverIsHealthyAfterTheWholeCorpus() {
    corpus().forEach(this::hostileRequestIsAnsweredWithAClientErrorEnvelope);

    assertThat(server.api.get("/api/health").data().get("status").asText()).isEqualTo("ok");
    String id = server.createBatch(2);
    assertThat(server.awaitStatus(id, "completed").get("counts").get("completed").asLong()).isEqualTo(2);
  }

  private String raw(String request) throws IOException {
    return raw(request, false);
  }

  // Sends bytes the HttpClient would refuse to send, and reads the answer until the server closes.
  private String raw(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket(server.api.base().getHost(), server.api.base().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
