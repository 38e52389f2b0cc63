package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter's failures, driven through the core's retry loop with a sleeper that only records. */
class RetryThroughModelCallerTest {
  private static final ChatRequest HELLO = ChatRequest.of(List.of(ChatMessage.user("Hello")));

  private final List<Duration> slept = new CopyOnWriteArrayList<>();
  private final Sleeper recordingSleeper = slept::add;
  private final RecordingGate gate = new RecordingGate();
  private FakeOpenAiServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = FakeOpenAiServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aRateLimitIsWaitedOutForItsRetryAfterThenTheCallSucceeds() throws InterruptedException {
    server.enqueue(Reply.rateLimited("2"), Reply.ok("Finally."));

    ChatResponse response = caller(6).call(HELLO);

    assertThat(response.text()).isEqualTo("Finally.");
    assertThat(slept).containsExactly(Duration.ofSeconds(2));
    assertThat(gate.pauses).containsExactly(Duration.ofSeconds(2));
    assertThat(gate.failures).isEqualTo(1);
    assertThat(gate.completions).isEqualTo(1);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenTheCallSucceeds() throws InterruptedException {
    server.enqueue(
        Reply.error(500, "server_error", null, "The server had an error while processing your request."),
        Reply.error(503, "server_error", null, "The engine is currently overloaded."),
        Reply.ok("Recovered."));

    ChatResponse response = caller(6).call(HELLO);

    assertThat(response.text()).isEqualTo("Recovered.");
    // Backoff 0.5 s then 1 s, scaled by the jitter factor 0.75 + 0.25 * 0.0.
    assertThat(slept).containsExactly(Duration.ofMillis(375), Duration.ofMillis(750));
    assertThat(gate.pauses).isEmpty();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void aBatchFatalAnswerIsNotRetried() {
    server.enqueue(Reply.insufficientQuota());

    assertThatThrownBy(() -> caller(6).call(HELLO)).isInstanceOf(BatchFatalLlmException.class);
    assertThat(slept).isEmpty();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void retriesStopAfterTheLastAttemptWithTheLastFailure() {
    server.otherwise(request -> Reply.error(503, "server_error", null, "Overloaded."));

    assertThatThrownBy(() -> caller(3).call(HELLO))
        .isInstanceOf(RetryableLlmException.class)
        .hasMessageStartingWith("gave up after 3 attempts: ")
        .hasMessageContaining("HTTP 503");
    assertThat(server.requests()).hasSize(3);
  }

  private ModelCaller caller(int attempts) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).build();
    return new ModelCaller(model, gate, new RetryPolicy(attempts, () -> 0.0), recordingSleeper);
  }

  /** Records what the caller tells its gate. */
  private static final class RecordingGate implements CallGate {
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    int failures;
    int completions;

    @Override
    public void completed(ChatRequest request, ChatResponse response) {
      completions++;
    }

    @Override
    public void failed(ChatRequest request) {
      failures++;
    }

    @Override
    public void rateLimited(@Nullable Duration retryAfter) {
      pauses.add(retryAfter == null ? Duration.ZERO : retryAfter);
    }
  }
}
