package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.call.SharedRateLimiter;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.Sleeper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key appears in no log line, exception or {@code toString()}, even when a server echoes it
 * back in its error messages. The log is captured from System.err, where slf4j-simple writes at
 * debug level in these tests.
 */
class SecretRedactionTest {
  private static final String OPENAI_KEY = "sk-proj-Zq8LeakCanary0123456789abcdefTUVW";
  private static final String AZURE_KEY = "f00dfeedcafe4b1d8e2aLeakCanary9c7d";
  private static final ChatRequest HELLO = ChatRequest.of(List.of(ChatMessage.user("Hello")));

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final List<Throwable> failures = new ArrayList<>();
  private PrintStream originalErr;
  private FakeOpenAiServer server;

  @BeforeEach
  void captureLogAndStartServer() throws IOException {
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, log), true, StandardCharsets.UTF_8));
    server = FakeOpenAiServer.start();
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    server.close();
  }

  @Test
  void theOpenAiKeyNeverLeaks() throws IOException {
    server.enqueue(
        Reply.ok("Hi."),
        Reply.error(401, "invalid_request_error", "invalid_api_key",
            "Incorrect API key provided: sk-proj-************************************TUVW."),
        Reply.error(400, "invalid_request_error", null, "Bad header 'Authorization: Bearer " + OPENAI_KEY + "'"),
        Reply.raw(502, "text/plain", "proxy error for request with key " + OPENAI_KEY),
        Reply.raw(200, "application/json", "{\"echo\":\"" + OPENAI_KEY + "\""),
        Reply.rateLimited("1").header("x-echo", OPENAI_KEY),
        Reply.ok("Recovered."));
    OpenAiChatModel model = OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .apiKey(OPENAI_KEY)
        .requestTimeout(Duration.ofSeconds(5))
        .build();

    exercise(model, OPENAI_KEY, 7);
    OpenAiChatModel unreachable = OpenAiChatModel.builder()
        .baseUrl("http://127.0.0.1:" + closedPort() + "/v1")
        .apiKey(OPENAI_KEY)
        .build();
    call(unreachable);

    assertThat(server.requests()).allSatisfy(
        r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY));
    assertNothingLeaks(OPENAI_KEY, model, unreachable);
    assertThat(logText()).contains("answered HTTP 401").contains("answered HTTP 502")
        .contains("attempt 3 of 3").contains("pausing every model call");
  }

  @Test
  void theAzureKeyNeverLeaks() {
    server.enqueue(
        Reply.error(403, "forbidden", "PermissionDenied", "Key " + AZURE_KEY + " may not use this deployment."),
        Reply.error(500, "server_error", null, "api-key=" + AZURE_KEY),
        Reply.ok("Hi."));
    OpenAiChatModel model = OpenAiChatModel.builder()
        .azure(server.root(), "prod")
        .apiKey(AZURE_KEY)
        .build();

    exercise(model, AZURE_KEY, 3);

    assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("api-key")).isEqualTo(AZURE_KEY));
    assertNothingLeaks(AZURE_KEY, model);
    assertThat(logText()).contains("answered HTTP 403").contains("answered HTTP 500")
        .contains("attempt 3 of 3").contains("pausing every model call");
  }

  /** Calls the model directly and through the retry loop and a rate limiter, which log too. */
  private void exercise(OpenAiChatModel model, String key, int directCalls) {
    for (int i = 0; i < directCalls; i++) {
      call(model);
    }
    server.enqueue(
        Reply.error(500, "server_error", null, "again " + key),
        Reply.error(429, "requests", "rate_limit_exceeded", "slow down, " + key)
            .header("retry-after-ms", "5"),
        Reply.ok("Ok."));
    Sleeper noWait = duration -> { };
    ModelCaller caller = new ModelCaller(
        model, SharedRateLimiter.of(RateLimit.NONE), new RetryPolicy(3, () -> 0.0), noWait);
    try {
      caller.call(HELLO);
    } catch (LlmException e) {
      failures.add(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private void call(OpenAiChatModel model) {
    try {
      model.chat(HELLO);
    } catch (LlmException e) {
      failures.add(e);
    }
  }

  private void assertNothingLeaks(String key, Object... models) {
    assertThat(failures).as("the scripted failures").isNotEmpty();
    for (Throwable failure : failures) {
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(key).doesNotContain("LeakCanary");
    }
    for (Object model : models) {
      assertThat(model.toString()).doesNotContain(key);
    }
    assertThat(logText()).isNotBlank().doesNotContain(key).doesNotContain("LeakCanary");
  }

  private String logText() {
    System.err.flush();
    return log.toString(StandardCharsets.UTF_8);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Writes to the real stream and to the capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
