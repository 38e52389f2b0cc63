package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.inmemory.SimulatedLlm;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthTest {
  static final String TOKEN = "s3cret-token-0123456789";

  static TestServer server;
  static ApiClient anonymous;
  static ApiClient wrongToken;

  @BeforeAll
  static void start() {
    server = TestServer.start(SimulatedLlm.create(), builder -> { }, TOKEN);
    server.saveEntities(4);
    anonymous = new ApiClient(server.server.uri(), null);
    wrongToken = new ApiClient(server.server.uri(), "s3cret-token-0123456780");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> guardedRequests() {
    return Stream.of(
        Arguments.of("GET", "/api/batch-simulations"),
        Arguments.of("POST", "/api/batch-simulations"),
        Arguments.of("GET", "/api/batch-simulations/any"),
        Arguments.of("DELETE", "/api/batch-simulations/any"),
        Arguments.of("GET", "/api/batch-simulations/any/export"),
        Arguments.of("GET", "/api/batch-simulations/any/status"),
        Arguments.of("POST", "/api/batch-simulations/any/cancel"),
        Arguments.of("POST", "/api/batch-simulations/any/resume"),
        Arguments.of("GET", "/api/entities"),
        Arguments.of("POST", "/api/entities"),
        Arguments.of("GET", "/api/entities/entity-id-1"),
        Arguments.of("DELETE", "/api/entities/entity-id-1"),
        Arguments.of("GET", "/api/no-such-route"),
        Arguments.of("PUT", "/api/batch-simulations"));
  }

  @ParameterizedTest
  @MethodSource("guardedRequests")
  void requestsWithoutATokenAreUnauthorized(String method, String path) {
    ApiClient.Response response = anonymous.method(method, path, method.equals("POST") ? "{}" : null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.message()).isEqualTo("a bearer token is required: send the header Authorization: Bearer <token>");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"cohort\"");
  }

  @ParameterizedTest
  @MethodSource("guardedRequests")
  void requestsWithAWrongTokenAreUnauthorized(String method, String path) {
    ApiClient.Response response = wrongToken.method(method, path, method.equals("POST") ? "{}" : null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.message()).isEqualTo("the bearer token is not valid");
  }

  @Test
  void otherSchemesAndMalformedHeadersAreUnauthorized() {
    for (String header : new String[] {"Basic " + TOKEN, TOKEN, "Bearer", "Bearer ", "Bearer  " + TOKEN + "x"}) {
      ApiClient.Response response = anonymous.send(anonymous.request("/api/entities").header("Authorization", header));
      assertThat(response.status()).as(header).isEqualTo(401);
    }
  }

  @Test
  void theRightTokenIsLetThroughWhateverTheSchemeCase() {
    assertThat(server.api.get("/api/entities").status()).isEqualTo(200);
    ApiClient.Response lowerCase = anonymous.send(anonymous.request("/api/entities").header("Authorization", "bearer " + TOKEN));
    assertThat(lowerCase.status()).isEqualTo(200);
  }

  @Test
  void aBatchCanBeCreatedAndReadWithTheToken() {
    String id = server.createBatch(1);

    assertThat(server.awaitStatus(id, "completed").get("id").asText()).isEqualTo(id);
    assertThat(anonymous.get("/api/batch-simulations/" + id).status()).isEqualTo(401);
  }

  @Test
  void healthStaysOpenWithoutAToken() {
    ApiClient.Response health = anonymous.get("/api/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.data().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void theTokenNeverAppearsInToString() {
    assertThat(server.server.toString()).doesNotContain(TOKEN).contains("bearer token required");
  }
}
