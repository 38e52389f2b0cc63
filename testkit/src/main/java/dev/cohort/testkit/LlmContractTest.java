package dev.cohort.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link LlmPort} contract as tests. An adapter's test class extends this and supplies models
 * configured for each case; it passes when the adapter keeps the port's promises:
 *
 * <ul>
 *   <li><b>usage</b>: every answer reports the prompt and completion tokens billed (both positive,
 *       cached tokens a part of the prompt tokens), the same for the same request, more prompt
 *       tokens for a longer prompt;
 *   <li><b>failures classified</b>: a failure is a {@link RetryableLlmException} (a rate limit
 *       saying so), a {@link BatchFatalLlmException} or a {@link CallFatalLlmException} as
 *       DESIGN.md §4 sorts them, with a message that does not repeat the request;
 *   <li><b>cancellation by interrupt</b>: a call whose thread is interrupted, while it waits or
 *       before it starts, ends promptly with an exception caused by an {@link InterruptedException}
 *       (or that exception itself), and the thread's interrupt status is still set afterwards;
 *   <li><b>thread safety</b>: many calls at once each get the answer their request gets alone.
 * </ul>
 *
 * <pre>{@code
 * class SimulatedLlmContractTest extends LlmContractTest {
 *   protected LlmPort answeringModel() { return SimulatedLlm.create(); }
 *   protected LlmPort failingModel(Failure failure) { ... }
 *   protected LlmPort slowModel() { return SimulatedLlm.builder().latency(SLOW_CALL).build(); }
 * }
 * }</pre>
 *
 * <p>The requests are conversation prompts in the simulation engine's format (a system message
 * with {@code Context:}, a user message with {@code Participants:}, {@code Speakers, one per turn,
 * in order:} and {@code Write turns 1 to 2}), as Cohort sends them.
 */
public abstract class LlmContractTest {
  /** How long every call of {@link #slowModel()} takes at least. */
  public static final Duration SLOW_CALL = Duration.ofSeconds(30);
  /** Text in every request of this suite that no failure message may repeat. */
  private static final String REQUEST_MARKER = "contract-marker-7f3a";

  /** The failure classes of DESIGN.md §4; a rate limit is the retryable failure callers pause for. */
  public enum Failure {
    /** Trying again later can succeed: a timeout, an I/O error, 408, 409, 5xx. Not a rate limit. */
    RETRYABLE,
    /** HTTP 429 rate limit: retryable, and {@link RetryableLlmException#isRateLimit()} says so. */
    RATE_LIMIT,
    /** No call of the batch can succeed: 401, 403, 429 {@code insufficient_quota}. */
    BATCH_FATAL,
    /** This call cannot succeed: 400, 404, 422, context too long. */
    CALL_FATAL
  }

  /** For subclasses. */
  protected LlmContractTest() {}

  /**
   * A model that answers every call, deterministically: the same request always gets the same
   * text and usage, and different requests of this suite get different texts.
   */
  protected abstract LlmPort answeringModel();

  /** A model whose every call fails as {@code failure} says. */
  protected abstract LlmPort failingModel(Failure failure);

  /** A model whose every call takes at least {@link #SLOW_CALL} before it answers. */
  protected abstract LlmPort slowModel();

  /** How soon an interrupted call must end; generous for loaded build machines. */
  protected Duration interruptTolerance() {
    return Duration.ofSeconds(10);
  }

  /** How many calls the thread-safety test makes at once. */
  protected int concurrentCalls() {
    return 32;
  }

  /**
   * The request of the suite's conversation number {@code n}. The one place requests are built,
   * so that the suite follows {@link ChatRequest}'s construction when it changes.
   */
  protected static ChatRequest request(int n, int extraContextWords) {
    StringBuilder context = new StringBuilder("A town hall debates a new bicycle lane (" + REQUEST_MARKER + ").");
    for (int i = 0; i < extraContextWords; i++) {
      context.append(" detail").append(i);
    }
    String first = "Ana " + n;
    String second = "Ben " + n;
    String system = "You write the dialogue of a discussion in English.\nAnswer with JSON only.\n\nContext:\n"
        + context;
    String user = "Participants:\n"
        + "- " + first + ": a cyclist who commutes every day\n"
        + "- " + second + ": a shop owner worried about parking\n\n"
        + "Speakers, one per turn, in order: [\"" + first + "\",\"" + second + "\"]\n"
        + "Write turns 1 to 2 of the conversation. Continue, never repeat earlier turns.\n";
    return ChatRequest.of(List.of(ChatMessage.system(system), ChatMessage.user(user)));
  }

  @Test
  void anAnswerReportsThePromptAndCompletionTokensItCost() {
    ChatResponse response = answeringModel().chat(request(1, 0));

    assertThat(response.text()).as("answer text").isNotBlank();
    TokenUsage usage = response.usage();
    assertThat(usage.promptTokens()).as("prompt tokens").isPositive();
    assertThat(usage.completionTokens()).as("completion tokens").isPositive();
    assertThat(usage.cachedTokens()).as("cached tokens are part of the prompt tokens")
        .isLessThanOrEqualTo(usage.promptTokens());
  }

  @Test
  void theSameRequestCostsTheSameAndALongerPromptCostsMorePromptTokens() {
    LlmPort model = answeringModel();

    TokenUsage once = model.chat(request(2, 0)).usage();
    TokenUsage again = model.chat(request(2, 0)).usage();
    TokenUsage longer = model.chat(request(2, 400)).usage();

    assertThat(again).as("usage of the same request again").isEqualTo(once);
    assertThat(longer.promptTokens()).as("prompt tokens of a prompt with 400 more words")
        .isGreaterThan(once.promptTokens());
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void aFailureIsThrownAsItsClass(Failure failure) {
    LlmPort model = failingModel(failure);

    Throwable thrown = catchThrowable(() -> model.chat(request(3, 0)));

    Class<? extends LlmException> expected = switch (failure) {
      case RETRYABLE, RATE_LIMIT -> RetryableLlmException.class;
      case BATCH_FATAL -> BatchFatalLlmException.class;
      case CALL_FATAL -> CallFatalLlmException.class;
    };
    assertThat(thrown).as("what a %s failure throws", failure).isInstanceOf(expected);
    for (Class<?> other : List.of(RetryableLlmException.class, BatchFatalLlmException.class,
        CallFatalLlmException.class)) {
      if (other != expected) {
        assertThat(thrown).as("a %s failure is not also a %s", failure, other.getSimpleName()).isNotInstanceOf(other);
      }
    }
    if (thrown instanceof RetryableLlmException retryable) {
      assertThat(retryable.isRateLimit()).as("a %s failure is a rate limit", failure)
          .isEqualTo(failure == Failure.RATE_LIMIT);
    }
    assertThat(thrown.getMessage()).as("message").isNotBlank().doesNotContain(REQUEST_MARKER);
    assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after a failure").isFalse();
  }

  @Test
  void aCallInterruptedWhileItWaitsEndsPromptlyAndKeepsTheInterrupt() throws InterruptedException {
    LlmPort model = slowModel();
    CallOutcome outcome = new CallOutcome();
    Thread caller = new Thread(() -> outcome.call(model, request(4, 0)), "llm-contract-caller");

    caller.start();
    // Interrupt once the call blocks (on the model's latency, a socket, a future): it is then in progress.
    await("the call to block").atMost(interruptTolerance())
        .until(() -> BLOCKED_STATES.contains(caller.getState()) || !caller.isAlive());
    long interruptedAt = System.nanoTime();
    caller.interrupt();
    caller.join(interruptTolerance().toMillis());

    assertThat(caller.isAlive()).as("call still running %s after the interrupt", interruptTolerance()).isFalse();
    outcome.assertEndedByTheInterrupt(Duration.ofNanos(System.nanoTime() - interruptedAt));
  }

  @Test
  void aCallOnAnInterruptedThreadEndsPromptlyAndKeepsTheInterrupt() throws InterruptedException {
    LlmPort model = slowModel();
    CallOutcome outcome = new CallOutcome();
    Thread caller = new Thread(() -> {
      Thread.currentThread().interrupt();
      outcome.call(model, request(5, 0));
    }, "llm-contract-caller");
    long started = System.nanoTime();

    caller.start();
    caller.join(interruptTolerance().toMillis());

    assertThat(caller.isAlive()).as("call on an interrupted thread still running after %s", interruptTolerance())
        .isFalse();
    outcome.assertEndedByTheInterrupt(Duration.ofNanos(System.nanoTime() - started));
  }

  @Test
  void concurrentCallsEachGetTheAnswerTheirRequestGetsAlone() throws Exception {
    LlmPort model = answeringModel();
    int calls = concurrentCalls();
    Map<Integer, ChatResponse> alone = new LinkedHashMap<>();
    for (int n = 0; n < calls; n++) {
      alone.put(n, model.chat(request(100 + n, n % 5)));
    }
    assertThat(alone.values()).extracting(ChatResponse::text).as("answers to different requests").doesNotHaveDuplicates();

    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      CountDownLatch ready = new CountDownLatch(calls);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ChatResponse>> together = new ArrayList<>();
      for (int n = 0; n < calls; n++) {
        ChatRequest request = request(100 + n, n % 5);
        Callable<ChatResponse> call = () -> {
          ready.countDown();
          assertThat(go.await(1, TimeUnit.MINUTES)).as("start signal").isTrue();
          return model.chat(request);
        };
        together.add(pool.submit(call));
      }
      assertThat(ready.await(1, TimeUnit.MINUTES)).as("all callers ready").isTrue();
      go.countDown();

      for (int n = 0; n < calls; n++) {
        ChatResponse response = together.get(n).get(2, TimeUnit.MINUTES);
        assertThat(response.text()).as("answer to request %d made together with %d others", n, calls - 1)
            .isEqualTo(alone.get(n).text());
        assertThat(response.usage()).as("usage of request %d made together with others", n)
            .isEqualTo(alone.get(n).usage());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static final Set<Thread.State> BLOCKED_STATES =
      EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.BLOCKED);

  /** What one call on another thread did: its answer or exception, and its thread's interrupt status after. */
  private final class CallOutcome {
    private final AtomicReference<@Nullable Object> result = new AtomicReference<>();
    private final AtomicBoolean interruptedAfter = new AtomicBoolean();

    void call(LlmPort model, ChatRequest request) {
      try {
        result.set(model.chat(request));
      } catch (Throwable t) {
        result.set(t);
      } finally {
        interruptedAfter.set(Thread.currentThread().isInterrupted());
      }
    }

    void assertEndedByTheInterrupt(Duration took) {
      Object ended = result.get();
      assertThat(ended).as("outcome of the interrupted call").isInstanceOf(Throwable.class);
      assertThat(took).as("time the interrupted call took (the model takes %s)", SLOW_CALL)
          .isLessThan(interruptTolerance());
      assertThat(causedByAnInterrupt((Throwable) ended))
          .as("%s is or is caused by an InterruptedException", ended).isTrue();
      assertThat(interruptedAfter).as("interrupt status after the call").isTrue();
    }

    private boolean causedByAnInterrupt(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof InterruptedException) {
          return true;
        }
      }
      return false;
    }
  }
}
