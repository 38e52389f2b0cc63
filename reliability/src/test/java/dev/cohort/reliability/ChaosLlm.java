package dev.cohort.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.Sleeper;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model that misbehaves on a seeded share of its calls in the ways real providers do, and
 * otherwise passes the call to an honest model. Whether call number {@code i} misbehaves, and how,
 * depends on the seed and {@code i} alone.
 *
 * <p>A rate-limit fault starts a burst: the next few calls are refused too, as a provider does
 * while its window lasts. A verbatim repeat answers a later round with the simulation's previous
 * answer (its turns then repeat earlier ones word for word), or, in a first round, gives every
 * turn the first turn's text.
 */
final class ChaosLlm implements LlmPort {
  /** The ways a call misbehaves. */
  enum Fault {
    /** Answers honestly after a scripted latency of 5 to 30 ms, waited on the latency sleeper. */
    LATENCY_SPIKE,
    /** Fails, after a scripted latency of 1 to 3 ms, as a call that got no answer in time. */
    TIMEOUT,
    /** HTTP 429 with a retry-after, for this call and the next two to six. */
    RATE_LIMIT_BURST,
    /** HTTP 500, 502 or 503. */
    SERVER_ERROR,
    /** Answers with text that holds no turns. */
    MALFORMED,
    /** Answers with the honest JSON cut off, finish reason {@code length}. */
    TRUNCATED,
    /** Answers with a turn spoken by someone who is not a participant. */
    WRONG_SPEAKER,
    /** Answers with turns that repeat earlier ones verbatim. */
    VERBATIM_REPEAT
  }

  static final Duration RETRY_AFTER = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] GARBAGE = {
    "I'm sorry, but I can't continue this conversation.",
    "{\"turns\": \"none\"}",
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    "",
    "```json\n{\"turns\":[{\"speaker\":\n```",
  };

  private final LlmPort honest;
  private final double rate;
  private final long seed;
  private final Sleeper latency;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicInteger burstLeft = new AtomicInteger();
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final Map<String, String> lastAnswerByParticipants = new ConcurrentHashMap<>();

  /**
   * @param honest answers the calls that do not misbehave
   * @param rate share of calls, 0 to 1, that misbehave
   * @param latency waits out the scripted latency of slow calls (30 ms at the most): {@link
   *     Sleeper#SYSTEM} for calls that really overlap, or one that only counts
   */
  ChaosLlm(LlmPort honest, double rate, long seed, Sleeper latency) {
    this.honest = honest;
    this.rate = rate;
    this.seed = seed;
    this.latency = latency;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    long call = calls.getAndIncrement();
    if (burstLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      injected.get(Fault.RATE_LIMIT_BURST).incrementAndGet();
      throw rateLimited(call);
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + call);
    if (random.nextDouble() >= rate) {
      return remembered(request, honest.chat(request));
    }
    Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
    injected.get(fault).incrementAndGet();
    return switch (fault) {
      case LATENCY_SPIKE -> {
        pause(5 + random.nextInt(26));
        yield remembered(request, honest.chat(request));
      }
      case TIMEOUT -> {
        pause(1 + random.nextInt(3));
        throw new RetryableLlmException("chaos model did not answer within 30 s", null, 0, null, "chaos-" + call, null);
      }
      case RATE_LIMIT_BURST -> {
        burstLeft.set(2 + random.nextInt(5));
        throw rateLimited(call);
      }
      case SERVER_ERROR -> {
        int status = new int[] {500, 502, 503}[random.nextInt(3)];
        throw new RetryableLlmException("chaos model answered HTTP " + status, null, status, "server_error",
            "chaos-" + call, null);
      }
      case MALFORMED -> ChatResponse.of(GARBAGE[random.nextInt(GARBAGE.length)], honest.chat(request).usage());
      case TRUNCATED -> {
        ChatResponse whole = honest.chat(request);
        String text = whole.text();
        String cut = text.substring(0, 1 + random.nextInt(Math.max(1, text.length() - 2)));
        yield new ChatResponse(cut, whole.usage(), "length", whole.model(), whole.requestId(), null);
      }
      case WRONG_SPEAKER -> {
        ChatResponse whole = honest.chat(request);
        yield withText(whole, rewriteTurns(whole.text(), (turns, i) -> {
          if (i == turns.size() - 1) {
            ((ObjectNode) turns.get(i)).put("speaker", "The Narrator");
          }
        }));
      }
      case VERBATIM_REPEAT -> {
        String earlier = lastAnswerByParticipants.get(participants(request));
        ChatResponse whole = honest.chat(request);
        if (earlier != null && !isFirstRound(request)) {
          yield withText(whole, earlier);
        }
        yield withText(whole, rewriteTurns(whole.text(), (turns, i) ->
            ((ObjectNode) turns.get(i)).put("text", turns.get(0).path("text").asText())));
      }
    };
  }

  @Override
  public String describe() {
    return "chaos model (" + Math.round(rate * 100) + " % faults) over " + honest.describe();
  }

  /** How many calls misbehaved with {@code fault}. */
  long injected(Fault fault) {
    return injected.get(fault).get();
  }

  /** How many calls misbehaved in any way. */
  long injectedTotal() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private RetryableLlmException rateLimited(long call) {
    return new RetryableLlmException("chaos model answered HTTP 429: rate limit reached", null, 429,
        "rate_limit_exceeded", "chaos-" + call, RETRY_AFTER);
  }

  private ChatResponse remembered(ChatRequest request, ChatResponse response) {
    if (!isReask(request)) {
      lastAnswerByParticipants.put(participants(request), response.text());
    }
    return response;
  }

  /** The participants part of the round prompt: it tells one simulation from another. */
  private static String participants(ChatRequest request) {
    String user = request.messages().get(1).content();
    int end = user.indexOf("\nConversation so far:");
    return end < 0 ? user : user.substring(0, end);
  }

  private static boolean isFirstRound(ChatRequest request) {
    return request.messages().get(1).content().contains("Conversation so far:\n(nothing yet)");
  }

  private static boolean isReask(ChatRequest request) {
    return request.messages().size() > 2;
  }

  private static ChatResponse withText(ChatResponse response, String text) {
    return new ChatResponse(text, response.usage(), response.finishReason(), response.model(),
        response.requestId(), response.rateLimits());
  }

  /** A change made to one turn of a JSON answer. */
  @FunctionalInterface
  private interface TurnEdit {
    void apply(ArrayNode turns, int index);
  }

  private static String rewriteTurns(String answer, TurnEdit edit) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(answer);
      ArrayNode turns = (ArrayNode) root.get("turns");
      for (int i = 0; i < turns.size(); i++) {
        edit.apply(turns, i);
      }
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the honest model answers JSON", e);
    }
  }

  private void pause(int millis) {
    try {
      // The model's scripted latency: the behaviour under test, not a wait for something.
      latency.sleep(Duration.ofMillis(millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableLlmException("interrupted", e, 0, null, null, null);
    }
  }
}
