package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorResponsesTest {
  static final String BATCHES = "/api/batch-simulations";

  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(4);
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A valid create body with {@code replacement} spliced in after its opening brace. */
  static String body(String replacement) {
    return "{" + replacement + (replacement.isEmpty() ? "" : ", ")
        + "\"name\": \"N\", \"context\": \"C\", \"entity_ids\": [\"entity-id-1\", \"entity-id-2\", \"entity-id-3\", \"entity-id-4\"],"
        + " \"interaction_size\": 2, \"num_simulations\": 2}";
  }

  /** A valid create body with {@code field} set to {@code json}, replacing any value it had. */
  static String with(String field, String json) {
    ObjectNode node;
    try {
      node = (ObjectNode) ApiClient.JSON.readTree(body(""));
      node.set(field, ApiClient.JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node.toString();
  }

  static Stream<Arguments> invalidCreateBodies() {
    return Stream.of(
        Arguments.of("{\"name\": \"x\",", "body: is not valid JSON (line 1, column 14)"),
        Arguments.of(with("num_simulations", "\"3\""), "num_simulations: must be a whole number, was a string"),
        Arguments.of(with("interaction_size", "true"), "interaction_size: must be a whole number, was a boolean"),
        Arguments.of(with("n_turns", "2.5"), "n_turns: must be a whole number, was 2.5"),
        Arguments.of(with("name", "42"), "name: must be a string, was a number"),
        Arguments.of(with("entity_ids", "\"entity-id-1\""), "entity_ids: must be an array of strings, was a string"),
        Arguments.of(with("entity_ids", "[\"entity-id-1\", 2]"), "entity_ids[1]: must be a string, was a number"),
        Arguments.of(with("metadata", "[1, 2]"), "metadata: must be a JSON object, was an array"),
        Arguments.of(with("temperature", "\"hot\""), "temperature: must be a number, was a string"),
        Arguments.of(with("seed", "1.5"), "seed: must be a whole number, was 1.5"),
        Arguments.of(with("seed", "99999999999999999999"),
            "seed: must be between -9223372036854775808 and 9223372036854775807, was 99999999999999999999"),
        Arguments.of("{}", "name: is required; context: is required; entity_ids: is required; "
            + "interaction_size: is required; num_simulations: is required"),
        Arguments.of(with("name", "null"), "name: is required"),
        Arguments.of(with("name", "\"   \""), "name: is required and must not be blank"),
        Arguments.of(with("entity_ids", "[\"entity-id-1\", \"ghost-1\", \"ghost-2\"]"),
            "entity_ids: unknown entity ids: ghost-1, ghost-2"),
        Arguments.of(with("entity_ids", "[]"), "entity_ids: must name at least one entity"),
        Arguments.of(with("entity_ids", "[\"entity-id-1\", \"entity-id-1\"]"),
            "entity_ids: names entity 'entity-id-1' more than once; each entity may appear once"),
        Arguments.of(with("interaction_size", "5"), "interaction_size: is 5 but only 4 entities were given"),
        Arguments.of(with("interaction_size", "0"), "interaction_size: must be at least 1, was 0"),
        Arguments.of(with("n_turns", "0"), "n_turns: must be between 1 and 1000, was 0"),
        Arguments.of(with("simulation_rounds", "1001"), "simulation_rounds: must be between 1 and 1000, was 1001"),
        Arguments.of(with("num_simulations", "-3"), "num_simulations: must be between 1 and 10000000, was -3"),
        Arguments.of(with("num_simulations", "99999999999"),
            "num_simulations: must be between 1 and 10000000, was 99999999999"),
        Arguments.of(with("replicates", "0"), "replicates: must be between 1 and 10000, was 0"),
        Arguments.of(with("temperature", "3"), "temperature: must be between 0 and 2, was 3.0"),
        Arguments.of(with("max_tokens", "0"), "max_tokens: must be at least 1, was 0"),
        Arguments.of(with("n_turn", "3"), "n_turn: is not a known field; known fields are name, description,"),
        Arguments.of(body("\"name\": \"twice\""), "body: has a field that appears twice in one object (line 1, column "),
        Arguments.of(body("") + " {}", "body: has more content after the JSON document"),
        Arguments.of("", "body: is empty; send a JSON document"),
        Arguments.of("[" + body("") + "]", "body: must be a JSON object, was an array"),
        Arguments.of(with("name", "\"bad \\u0000 nul\""), "name: contains a NUL character"),
        Arguments.of(body("\"description\": \"\\ud800 alone\""), "description: contains an unpaired UTF-16 surrogate"));
  }

  @ParameterizedTest
  @MethodSource("invalidCreateBodies")
  void invalidCreateBodiesAreBadRequestsNamingTheField(String body, String message) {
    ApiClient.Response response = api.post(BATCHES, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("status").asText()).isEqualTo("error");
    assertThat(response.message()).startsWith(message);
    assertThat(response.json().get("errors")).isNotEmpty();
  }

  @Test
  void everyProblemOfABodyIsReportedAtOnce() {
    ApiClient.Response response = api.post(BATCHES, """
        {"name": 1, "context": "C", "entity_ids": ["entity-id-1"], "interaction_size": 2,
         "num_simulations": "many", "n_turns": 0}
        """);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("name", "num_simulations", "interaction_size", "n_turns");
  }

  @Test
  void aPlanLargerThanTheCohortAcceptsIsRefused() {
    String ids = Arrays.toString(Stream.iterate(1, i -> i + 1).limit(30).map(i -> "\"e" + i + "\"").toArray());
    ApiClient.Response response = api.post(BATCHES, """
        {"name": "Huge", "context": "C", "entity_ids": %s, "interaction_size": 5, "num_simulations": 200000}
        """.formatted(ids));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("num_simulations: the batch would plan 142506 simulations "
        + "(min(C(n,k), num_simulations) × replicates); at most " + TestServer.MAX_PLANNED_SIMULATIONS
        + " fit in one batch");
  }

  @Test
  void aDuplicatedEntityIdIsNamedAndNotReportedAsATooSmallPool() {
    ApiClient.Response response = api.post(BATCHES, with("entity_ids", "[\"entity-id-1\", \"entity-id-1\"]"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message())
        .isEqualTo("entity_ids: names entity 'entity-id-1' more than once; each entity may appear once");
  }

  @Test
  void aWholeNumberFieldTakesANumberWithAZeroFraction() {
    ApiClient.Response response = api.post(BATCHES, body("\"simulation_rounds\": 2.0, \"n_turns\": 3.00"));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    JsonNode batch = api.get(BATCHES + "/" + response.data().get("id").asText() + "?include_simulations=false").data();
    assertThat(batch.get("simulation_rounds").asInt()).isEqualTo(2);
    assertThat(batch.get("n_turns").asInt()).isEqualTo(3);
  }

  @Test
  void aWholeNumberFieldRefusesAFractionNamingTheField() {
    ApiClient.Response response = api.post(BATCHES, body("\"simulation_rounds\": 2.5"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("simulation_rounds: must be a whole number, was 2.5");
  }

  @Test
  void anEmptyQueryParameterCountsAsAbsent() {
    ApiClient.Response response = api.get(BATCHES + "?include_simulations=false&limit=&offset=");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.data().isArray()).isTrue();
  }

  static Stream<Arguments> unknownIds() {
    return Stream.of(
        Arguments.of("GET", BATCHES + "/missing", "batch missing does not exist"),
        Arguments.of("DELETE", BATCHES + "/missing", "batch missing does not exist"),
        Arguments.of("GET", BATCHES + "/missing/status", "batch missing does not exist"),
        Arguments.of("POST", BATCHES + "/missing/cancel", "batch missing does not exist"),
        Arguments.of("POST", BATCHES + "/missing/resume", "batch missing does not exist"),
        Arguments.of("GET", BATCHES + "/missing/export?format=jsonl", "batch missing does not exist"),
        Arguments.of("GET", "/api/entities/missing", "entity missing does not exist"),
        Arguments.of("DELETE", "/api/entities/missing", "entity missing does not exist"),
        Arguments.of("GET", "/api/nothing-here", "no route matches this path; see the REST API section of the README"),
        Arguments.of("GET", BATCHES + "/x/y/z", "no route matches this path; see the REST API section of the README"),
        Arguments.of("GET", "/", "no route matches this path; see the REST API section of the README"));
  }

  @ParameterizedTest
  @MethodSource("unknownIds")
  void unknownIdsAndPathsAreNotFound(String method, String path, String message) {
    ApiClient.Response response = api.method(method, path, null);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo(message);
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
        Arguments.of("PUT", BATCHES, "POST, GET"),
        Arguments.of("DELETE", BATCHES, "POST, GET"),
        Arguments.of("PATCH", BATCHES + "/some-id", "GET, DELETE"),
        Arguments.of("GET", BATCHES + "/some-id/cancel", "POST"),
        Arguments.of("POST", BATCHES + "/some-id/export", "GET"),
        Arguments.of("POST", "/api/health", "GET"),
        Arguments.of("PUT", "/api/entities/someone", "GET, DELETE"),
        Arguments.of("HEAD", "/api/entities", "POST, GET"));
  }

  @ParameterizedTest
  @MethodSource("wrongMethods")
  void wrongMethodsAreRefusedListingTheAllowedOnes(String method, String path, String allowed) {
    ApiClient.Response response = api.method(method, path, null);

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("Allow")).isEqualTo(allowed);
    if (!method.equals("HEAD")) {
      assertThat(response.message()).isEqualTo("this method is not allowed on this path; allowed: " + allowed);
    }
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of(BATCHES + "?include_simulations=maybe", "include_simulations: must be true or false, was \"maybe\""),
        Arguments.of(BATCHES + "?limit=0", "limit: must be at least 1, was 0"),
        Arguments.of(BATCHES + "?limit=ten", "limit: must be a whole number of at least 1, was \"ten\""),
        Arguments.of(BATCHES + "?offset=-1", "offset: must be at least 0, was -1"),
        Arguments.of(BATCHES + "?offset=99999999999", "offset: must be a whole number of at least 0, was \"99999999999\""),
        Arguments.of(BATCHES + "?limit=1&limit=2", "limit: must be given at most once"),
        Arguments.of(BATCHES + "/any/export?format=pdf", "format: must be one of json, csv, jsonl"));
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void badQueryParametersAreBadRequests(String path, String message) {
    ApiClient.Response response = api.get(path);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).startsWith(message);
  }

  @Test
  void bodyOverTheLimitIsTooLarge() {
    byte[] body = new byte[CohortServer.DEFAULT_MAX_BODY_BYTES + 1];
    Arrays.fill(body, (byte) ' ');

    ApiClient.Response response = api.post(BATCHES, body, "application/json");

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.message()).isEqualTo("the request body is larger than the limit of 1048576 bytes");
    assertThat(api.get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void bodyOverTheLimitIsTooLargeWhenSentChunked() {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    HttpRequest.BodyPublisher unsized = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofByteArrays(Collections.nCopies(20, chunk)));

    ApiClient.Response response = api.send(api.request(BATCHES).header("Content-Type", "application/json").POST(unsized));

    assertThat(response.status()).isEqualTo(413);
    assertThat(api.get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void bodyAtTheLimitIsRead() {
    String valid = body("");
    byte[] body = (valid + " ".repeat(CohortServer.DEFAULT_MAX_BODY_BYTES - valid.length())).getBytes(
        StandardCharsets.UTF_8);

    ApiClient.Response response = api.post(BATCHES, body, "application/json");

    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  @Test
  void nonJsonContentTypesAreUnsupported() {
    ApiClient.Response form = api.post(BATCHES, "name=x".getBytes(StandardCharsets.UTF_8),
        "application/x-www-form-urlencoded");
    ApiClient.Response latin1 = api.post(BATCHES, body("").getBytes(StandardCharsets.UTF_8),
        "application/json; charset=iso-8859-1");

    assertThat(form.status()).isEqualTo(415);
    assertThat(form.message()).isEqualTo("Content-Type must be application/json");
    assertThat(latin1.status()).isEqualTo(415);
    assertThat(latin1.message()).isEqualTo("the request body must be UTF-8; charset=utf-8 or none");
  }

  @Test
  void jsonWithoutAContentTypeOrWithACharsetIsAccepted() {
    ApiClient.Response untyped = api.post(BATCHES, body("").getBytes(StandardCharsets.UTF_8), null);
    ApiClient.Response typed = api.post(BATCHES, body("").getBytes(StandardCharsets.UTF_8),
        "application/json; charset=UTF-8");

    assertThat(untyped.status()).as(untyped.body()).isEqualTo(201);
    assertThat(typed.status()).as(typed.body()).isEqualTo(201);
  }

  @Test
  void errorResponsesAreJsonEnvelopesWithoutInternals() {
    ApiClient.Response response = api.post(BATCHES, "{\"name\": [[[[");

    assertThat(response.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(response.json().fieldNames()).toIterable().containsExactly("status", "message", "errors");
    assertThat(response.body()).doesNotContain("Exception", "jackson", "at dev.", "at java.");
  }
}
