package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.RetryableLlmException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
  private static final ChatRequest HELLO = ChatRequest.of(List.of(ChatMessage.user("Hello")));
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private FakeOpenAiServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = FakeOpenAiServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "HTTP {0} is {1}")
  @CsvSource({
    "408, Retryable", "409, Retryable", "429, Retryable", "500, Retryable", "502, Retryable",
    "503, Retryable", "504, Retryable",
    "400, CallFatal", "404, CallFatal", "413, CallFatal", "422, CallFatal",
    "401, BatchFatal", "403, BatchFatal"
  })
  void statusesAreSortedByWhetherRetryingCanHelp(int status, String kind) {
    server.enqueue(Reply.error(status, "some_error", "some_code", "The server said no."));

    LlmException e = failure();

    Class<? extends LlmException> expected = kind.equals("Retryable") ? RetryableLlmException.class
        : kind.equals("CallFatal") ? CallFatalLlmException.class : BatchFatalLlmException.class;
    assertThat(e).isExactlyInstanceOf(expected);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo("some_code");
  }

  @Test
  void messagesNameProviderStatusCodeProviderMessageAndRequestId() {
    server.enqueue(Reply.error(400, "invalid_request_error", "invalid_value",
        "Invalid value for 'temperature': must be between 0 and 2."));

    LlmException e = failure();

    String requestId = server.lastRequest().requestId();
    assertThat(e).hasMessage("OpenAI-compatible server at " + server.baseUrl() + " (model gpt-4o-mini) "
        + "answered HTTP 400 (invalid_value): Invalid value for 'temperature': must be between 0 and 2. "
        + "[request id " + requestId + "]");
    assertThat(e.requestId()).isEqualTo(requestId);
  }

  @Test
  void insufficientQuotaStopsTheBatch() {
    server.enqueue(Reply.insufficientQuota());

    LlmException e = failure();

    assertThat(e).isInstanceOf(BatchFatalLlmException.class)
        .hasMessageContaining("HTTP 429 (insufficient_quota): You exceeded your current quota")
        .hasMessageContaining("[request id " + server.lastRequest().requestId() + "]");
    assertThat(e.errorCode()).isEqualTo("insufficient_quota");
  }

  @Test
  void aWrongKeyStopsTheBatch() {
    server.enqueue(Reply.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: sk-wrong-************WXYZ. You can find your API key at "
            + "https://platform.openai.com/account/api-keys."));

    LlmException e = failure();

    assertThat(e).isInstanceOf(BatchFatalLlmException.class)
        .hasMessageContaining("HTTP 401 (invalid_api_key): Incorrect API key provided")
        .hasMessageContaining("check the API key");
    assertThat(e.getMessage()).doesNotContain("WXYZ");
  }

  @Test
  void aPromptLongerThanTheContextFailsTheCall() {
    server.enqueue(Reply.error(400, "invalid_request_error", "context_length_exceeded",
        "This model's maximum context length is 128000 tokens. However, your messages resulted in "
            + "131072 tokens. Please reduce the length of the messages."));

    LlmException e = failure();

    assertThat(e).isInstanceOf(CallFatalLlmException.class).hasMessageContaining("maximum context length");
    assertThat(e.errorCode()).isEqualTo("context_length_exceeded");
  }

  @Test
  void aRateLimitCarriesRetryAfterSeconds() {
    server.enqueue(Reply.rateLimited("20"));

    RetryableLlmException e = retryable();

    assertThat(e.isRateLimit()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
  }

  @Test
  void retryAfterMillisecondsWinOverRetryAfter() {
    server.enqueue(Reply.rateLimited("2").header("retry-after-ms", "1500.5"));

    assertThat(retryable().retryAfter()).isEqualTo(Duration.ofNanos(1_500_500_000L));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    server.enqueue(Reply.error(503, "server_error", null, "The engine is overloaded.")
        .header("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT"));

    assertThat(retryable().retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aRetryAfterDateInThePastMeansNow() {
    server.enqueue(Reply.error(503, "server_error", null, "Overloaded.")
        .header("Retry-After", "Sun, 01 Mar 2026 11:59:00 GMT"));

    assertThat(retryable().retryAfter()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aServerErrorWithoutRetryAfterLeavesTheWaitToTheRetryPolicy() {
    server.enqueue(Reply.error(500, "server_error", null, "The server had an error processing your request."));

    RetryableLlmException e = retryable();

    assertThat(e.retryAfter()).isNull();
    assertThat(e.isRateLimit()).isFalse();
    assertThat(e.errorCode()).isEqualTo("server_error");
  }

  @Test
  void theProvidersShouldRetryHeaderOverridesTheStatus() {
    server.enqueue(
        Reply.error(500, "server_error", null, "Do not retry this one.").header("x-should-retry", "false"),
        Reply.error(400, "invalid_request_error", null, "A blip; retry.").header("x-should-retry", "true"));

    assertThat(failure()).isInstanceOf(CallFatalLlmException.class);
    assertThat(failure()).isInstanceOf(RetryableLlmException.class);
  }

  @Test
  void anErrorBodyThatIsNotJsonIsQuotedShortened() {
    server.enqueue(Reply.raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1>\n\n"
        + "x".repeat(2_000) + "</body></html>"));

    LlmException e = failure();

    assertThat(e).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("HTTP 502: <html><body><h1>502 Bad Gateway</h1> xxx");
    assertThat(e.getMessage()).hasSizeLessThan(700);
  }

  @Test
  void aBareStringErrorFromACompatibleServerIsQuoted() {
    server.enqueue(Reply.raw(404, "application/json", "{\"error\":\"model 'llama9' not found, try pulling it first\"}"));

    assertThat(failure()).isInstanceOf(CallFatalLlmException.class)
        .hasMessageContaining("HTTP 404: model 'llama9' not found, try pulling it first");
  }

  @Test
  void anErrorWordBesideATopLevelMessageIsReportedWithIt() {
    server.enqueue(Reply.raw(500, "application/json",
        "{\"error\":\"SyntaxError\",\"message\":\"Unexpected token } in JSON at position 12\"}"));

    assertThat(failure()).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("HTTP 500: SyntaxError: Unexpected token } in JSON at position 12");
  }

  @Test
  void anEventStreamAnswerToAPlainRequestIsReportedAsAStream() {
    server.enqueue(Reply.raw(200, "text/event-stream",
        "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n"));

    LlmException e = failure();

    assertThat(e).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("answered HTTP 200 with an event stream (text/event-stream)")
        .hasMessageNotContaining("not valid JSON");
  }

  @Test
  void aSuccessfulStatusWithMalformedJsonIsRetryable() {
    server.enqueue(Reply.raw(200, "application/json", "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":"));

    LlmException e = failure();

    assertThat(e).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("answered HTTP 200 with a body that is not valid JSON")
        .hasMessageContaining(server.lastRequest().requestId());
  }

  @Test
  void aSuccessfulStatusWithAnErrorInsteadOfChoicesIsRetryable() {
    server.enqueue(Reply.error(200, "upstream_error", null, "Upstream provider timed out."));

    assertThat(failure()).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("an error instead of an answer: Upstream provider timed out.");
  }

  @Test
  void aSlowAnswerTimesOutAsRetryable() {
    server.enqueue(Reply.ok("Too late.").delayedBy(Duration.ofSeconds(3)));
    OpenAiChatModel model = OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .requestTimeout(Duration.ofMillis(200))
        .build();

    LlmException e = catchThrowableOfType(LlmException.class, () -> model.chat(HELLO));

    assertThat(e).isInstanceOf(RetryableLlmException.class).hasMessageEndingWith("did not answer within 200 ms");
    assertThat(e.httpStatus()).isZero();
  }

  @Test
  void aRefusedConnectionIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl("http://127.0.0.1:" + closedPort + "/v1").build();

    LlmException e = catchThrowableOfType(LlmException.class, () -> model.chat(HELLO));

    assertThat(e).isInstanceOf(RetryableLlmException.class)
        .hasMessageContaining("could not be reached at http://127.0.0.1:" + closedPort + "/v1");
    assertThat(e.httpStatus()).isZero();
  }

  @Test
  void anInterruptedCallIsRetryableAndKeepsTheInterrupt() throws InterruptedException {
    server.enqueue(Reply.ok("Too late.").delayedBy(Duration.ofSeconds(5)));
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).build();
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        model.chat(HELLO);
      } catch (RuntimeException e) {
        thrown.set(e);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    await("the request to reach the server").atMost(Duration.ofSeconds(30)).until(() -> !server.requests().isEmpty());

    caller.interrupt();
    caller.join(10_000);

    assertThat(thrown.get()).isInstanceOf(RetryableLlmException.class).hasMessageContaining("interrupted");
    assertThat(stillInterrupted).isTrue();
  }

  private LlmException failure() {
    OpenAiChatModel model = OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
    LlmException e = catchThrowableOfType(LlmException.class, () -> model.chat(HELLO));
    assertThat(e).as("the call should have failed").isNotNull();
    return e;
  }

  private RetryableLlmException retryable() {
    LlmException e = failure();
    assertThat(e).isInstanceOf(RetryableLlmException.class);
    return (RetryableLlmException) e;
  }
}
