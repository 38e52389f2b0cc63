package dev.cohort.inmemory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An offline, deterministic language model for the quick start, tests and benchmarks. It needs no
 * network and no API key, and writes plausible dialogue: every speaker mentions the context's
 * topic and who they are, reacts to the previous speaker by name, and never repeats a line of the
 * same conversation.
 *
 * <pre>{@code
 * LlmPort llm = SimulatedLlm.builder()
 *     .seed(7)
 *     .latency(Duration.ofMillis(200), Duration.ofMillis(800))
 *     .failureRate(0.05, SimulatedLlm.FailureKind.RATE_LIMIT)
 *     .build();
 * }</pre>
 *
 * <h2>What it reads and answers</h2>
 *
 * It reads the simulation engine's prompt: the context after the line {@code Context:} of the
 * system message; from the last user message, the lines {@code - <name>: <description>} after
 * {@code Participants:} (optionally followed by {@code " | attributes: "} and a JSON object), the
 * JSON array after {@code Speakers, one per turn, in order:}, and the first turn number from
 * {@code Write turns <first> to <last>}. It answers {@code
 * {"turns":[{"speaker":…,"thought":…,"text":…},…]}} with one turn per listed speaker, in that
 * order. A prompt without the speakers line gets {@code {"turns":[]}}, unless the request has
 * another JSON schema (an outcome extraction): then it gets a value that fits the schema, drawn
 * from the seed: an enum value, a number within the bounds (1 to 5 without them), a boolean,
 * {@code "simulated answer"} for free text. A request whose JSON schema
 * asks for one object with a {@code text} property (role-play mode's {@code {"thought","text"}})
 * gets the first listed speaker's turn in that form.
 *
 * <h2>Determinism</h2>
 *
 * The text of an answer is a pure function of the request's messages, the request's {@link
 * ChatRequest#seed() seed} (when given) and this model's {@link Builder#seed(long) seed}: the
 * same request always gets the same answer, from any thread, in any order.
 *
 * <h2>Latency and failures</h2>
 *
 * Calls are numbered 0, 1, 2… in the order they arrive. Call {@code i} first sleeps for its
 * latency, then draws {@code u = U(seed, i)}, a number uniform in [0, 1) computed from the seed
 * and {@code i} alone (a counter-based generator, so no state is shared between draws). The
 * configured {@link FailureKind failure kinds} own consecutive slices of [0, 1) in the enum's
 * order, each as wide as its rate; a call whose {@code u} falls in a slice fails that way, any
 * other call answers normally. So the failures among the first {@code n} calls are the same on
 * every run with the same seed; with concurrent callers only which request receives call number
 * {@code i} depends on timing. A latency range draws each call's latency uniformly from a second
 * such sequence.
 *
 * <p>Token usage is estimated as characters / 4, rounded up, for the prompt and for the answer.
 * Thread-safe.
 */
public final class SimulatedLlm implements LlmPort {
  /** The model name every response reports. */
  public static final String MODEL_NAME = "cohort-simulated-1";
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 0L;
  /** How long a simulated rate limit asks callers to wait, unless {@link Builder#retryAfter} says otherwise. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FAILURE_STREAM = 0x6661696C75726573L;
  private static final long LATENCY_STREAM = 0x6C6174656E637921L;
  private static final long MALFORMED_STREAM = 0x6D616C666F726D64L;
  private static final String[] MALFORMED_ANSWERS = {
    "I am not sure how the conversation should go on from here.",
    "{\"turns\":[{\"speaker\":",
    "The participants talked for a while and then went home.",
  };

  /** How an injected failure shows itself. */
  public enum FailureKind {
    /** Throws a {@link RetryableLlmException} as for HTTP 503. */
    RETRYABLE,
    /**
     * Throws a {@link RetryableLlmException} with HTTP status 429 and a retry-after of {@link
     * Builder#retryAfter}.
     */
    RATE_LIMIT,
    /** Throws a {@link BatchFatalLlmException} as for HTTP 401 (an invalid API key). */
    BATCH_FATAL,
    /** Throws a {@link CallFatalLlmException} as for HTTP 400 (the context is too long). */
    CALL_FATAL,
    /** Answers normally, but with text that is not the expected JSON. */
    MALFORMED
  }

  private final long seed;
  private final Duration minLatency;
  private final Duration maxLatency;
  private final Map<FailureKind, Double> failureRates;
  private final Duration retryAfter;
  private final AtomicLong calls = new AtomicLong();

  private SimulatedLlm(Builder b) {
    this.seed = b.seed;
    this.minLatency = b.minLatency;
    this.maxLatency = b.maxLatency;
    this.failureRates = new EnumMap<>(b.failureRates);
    this.retryAfter = b.retryAfter;
  }

  /** A model with the defaults: seed {@value #DEFAULT_SEED}, no latency, no failures. */
  public static SimulatedLlm create() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers the conversation prompt in {@code request}, after this call's latency, unless this call
   * is one drawn to fail.
   *
   * @throws RetryableLlmException for an injected {@link FailureKind#RETRYABLE} or {@link
   *     FailureKind#RATE_LIMIT} failure, or with the message "interrupted" and the {@link
   *     InterruptedException} as its cause when the thread is interrupted while sleeping (its
   *     interrupt flag is set again)
   * @throws BatchFatalLlmException for an injected {@link FailureKind#BATCH_FATAL} failure
   * @throws CallFatalLlmException for an injected {@link FailureKind#CALL_FATAL} failure
   */
  @Override
  public ChatResponse chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    long call = calls.getAndIncrement();
    String requestId = "simulated-" + call;
    sleep(latency(call));
    @Nullable FailureKind failure = failure(call);
    String text;
    if (failure == null) {
      text = answer(request);
    } else {
      text = switch (failure) {
        case RETRYABLE -> throw new RetryableLlmException(
            "simulated server error (HTTP 503)", null, 503, "server_error", requestId, null);
        case RATE_LIMIT -> throw new RetryableLlmException(
            "simulated rate limit (HTTP 429)", null, 429, "rate_limit_exceeded", requestId, retryAfter);
        case BATCH_FATAL -> throw new BatchFatalLlmException(
            "simulated authentication failure (HTTP 401): invalid API key", null, 401, "invalid_api_key", requestId);
        case CALL_FATAL -> throw new CallFatalLlmException(
            "simulated bad request (HTTP 400): the context is too long", null, 400, "context_length_exceeded",
            requestId);
        case MALFORMED -> MALFORMED_ANSWERS[SeedMixer.below(seed ^ MALFORMED_STREAM, call, MALFORMED_ANSWERS.length)];
      };
    }
    TokenUsage usage = new TokenUsage(tokens(request.promptCharacters()), tokens(text.length()), 0);
    return new ChatResponse(text, usage, "stop", MODEL_NAME, requestId, null);
  }

  /** Returns {@value #MODEL_NAME}, which no price table prices: its cost is unknown. */
  @Override
  public Optional<String> modelName() {
    return Optional.of(MODEL_NAME);
  }

  /** Returns "simulated model (offline)". */
  @Override
  public String describe() {
    return "simulated model (offline)";
  }

  /** How many calls this model has received. */
  public long calls() {
    return calls.get();
  }

  private String answer(ChatRequest request) {
    Long requestSeed = request.seed();
    long effectiveSeed = requestSeed == null ? seed : SeedMixer.mix(seed, requestSeed);
    Map<String, Object> schema = request.jsonSchema();
    Optional<ConversationPrompt> conversation = ConversationPrompt.read(request.messages());
    if (schema != null && conversation.isEmpty() && !asksForOneTurn(request)) {
      // Neither a scripted round nor a role-play turn (those always list their speakers): an
      // outcome extraction.
      try {
        return JSON.writeValueAsString(SchemaAnswer.of(schema, effectiveSeed));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("maps, strings, numbers and booleans always serialise", e);
      }
    }
    List<DialogueWriter.WrittenTurn> written =
        conversation.map(prompt -> DialogueWriter.write(prompt, effectiveSeed)).orElse(List.of());
    if (!asksForOneTurn(request)) {
      return turnsJson(written);
    }
    // Role-play's one turn: the first listed speaker's, without the speaker.
    Map<String, String> one = new LinkedHashMap<>();
    one.put("thought", written.isEmpty() ? "" : written.get(0).thought());
    one.put("text", written.isEmpty() ? "" : written.get(0).text());
    try {
      return JSON.writeValueAsString(one);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("strings always serialise", e);
    }
  }

  /**
   * {@code {"turns":[{"speaker":…,"thought":…,"text":…},…]}}, written field by field: the same text
   * as the object mapper writes for maps of these fields, without building the maps (a fifth of
   * this model's CPU per call went to serialising them).
   */
  private static String turnsJson(List<DialogueWriter.WrittenTurn> turns) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator gen = JSON.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      gen.writeArrayFieldStart("turns");
      for (DialogueWriter.WrittenTurn turn : turns) {
        gen.writeStartObject();
        gen.writeStringField("speaker", turn.speaker());
        gen.writeStringField("thought", turn.thought());
        gen.writeStringField("text", turn.text());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return out.toString();
  }

  /** Whether the request's schema asks for one turn, {@code {"thought","text"}}, rather than a list of them. */
  private static boolean asksForOneTurn(ChatRequest request) {
    Map<String, Object> schema = request.jsonSchema();
    return schema != null && schema.get("properties") instanceof Map<?, ?> properties
        && properties.containsKey("text") && !properties.containsKey("turns");
  }

  /** The latency of call number {@code call}. */
  Duration latency(long call) {
    if (maxLatency.equals(minLatency)) {
      return minLatency;
    }
    long spread = maxLatency.minus(minLatency).toNanos();
    long extra = (long) (SeedMixer.unit(seed ^ LATENCY_STREAM, call) * (spread + 1.0));
    return minLatency.plusNanos(Math.min(extra, spread));
  }

  private @Nullable FailureKind failure(long call) {
    if (failureRates.isEmpty()) {
      return null;
    }
    double u = SeedMixer.unit(seed ^ FAILURE_STREAM, call);
    double upper = 0;
    for (Map.Entry<FailureKind, Double> e : failureRates.entrySet()) {
      upper += e.getValue();
      if (u < upper) {
        return e.getKey();
      }
    }
    return null;
  }

  private static void sleep(Duration latency) {
    if (latency.isZero()) {
      return;
    }
    try {
      long nanos = latency.toNanos();
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // The cause lets callers tell an interrupt from a failure of the model (LlmContractTest).
      throw new RetryableLlmException("interrupted", e, 0, null, null, null);
    }
  }

  private static long tokens(long characters) {
    return (characters + 3) / 4;
  }

  /**
   * Configures a {@link SimulatedLlm}. Each setting is checked as it is given; the failure rates
   * together must not exceed 1.
   */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private Duration minLatency = Duration.ZERO;
    private Duration maxLatency = Duration.ZERO;
    private final Map<FailureKind, Double> failureRates = new EnumMap<>(FailureKind.class);
    private Duration retryAfter = DEFAULT_RETRY_AFTER;

    private Builder() {}

    /** The seed of the text, the latencies and the failures; default {@link SimulatedLlm#DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Every call sleeps exactly {@code latency}; default none. */
    public Builder latency(Duration latency) {
      return latency(latency, latency);
    }

    /**
     * Each call sleeps for a latency drawn uniformly from [{@code min}, {@code max}] (seeded).
     *
     * @throws IllegalArgumentException when a bound is negative or {@code min} exceeds {@code max}
     */
    public Builder latency(Duration min, Duration max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isNegative()) {
        throw new IllegalArgumentException("latency min must not be negative, was " + min);
      }
      if (min.compareTo(max) > 0) {
        throw new IllegalArgumentException("latency min " + min + " is greater than max " + max);
      }
      this.minLatency = min;
      this.maxLatency = max;
      return this;
    }

    /**
     * A share of calls, 0 to 1, that fail with {@code kind}. Setting a kind again replaces its
     * rate; a rate of 0 removes it.
     *
     * @throws IllegalArgumentException when the rate is outside [0, 1] or the rates of all kinds
     *     would add up to more than 1
     */
    public Builder failureRate(double rate, FailureKind kind) {
      Objects.requireNonNull(kind, "kind");
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("failure rate for " + kind + " must be between 0 and 1, was " + rate);
      }
      double others = failureRates.entrySet().stream()
          .filter(e -> e.getKey() != kind).mapToDouble(Map.Entry::getValue).sum();
      if (others + rate > 1 + 1e-9) {
        throw new IllegalArgumentException("failure rate for " + kind + " of " + rate
            + " makes the rates add up to " + (others + rate) + "; at most 1 is possible");
      }
      if (rate == 0) {
        failureRates.remove(kind);
      } else {
        failureRates.put(kind, rate);
      }
      return this;
    }

    /**
     * How long a {@link FailureKind#RATE_LIMIT} failure asks callers to wait; default {@link
     * SimulatedLlm#DEFAULT_RETRY_AFTER}.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** The model. */
    public SimulatedLlm build() {
      return new SimulatedLlm(this);
    }
  }
}
