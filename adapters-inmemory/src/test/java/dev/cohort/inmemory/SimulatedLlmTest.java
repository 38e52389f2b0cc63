package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.inmemory.SimulatedLlm.FailureKind;
import dev.cohort.testkit.Entities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatedLlmTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTEXT =
      "A town hall meeting about building a new bicycle bridge over the river. The council decides on Friday.";
  private static final List<Entity> GROUP = List.of(Entities.ADA, Entities.BORIS, Entities.DEVRAJ, Entities.EMIL);

  @Test
  void theSameRequestAndSeedAlwaysGetTheSameAnswer() throws Exception {
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 6), 1);
    SimulatedLlm first = SimulatedLlm.builder().seed(7).build();
    SimulatedLlm second = SimulatedLlm.builder().seed(7).build();
    String expected = first.chat(request).text();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit(() -> second.chat(request).text()));
      }
      for (Future<String> answer : answers) {
        assertThat(answer.get(1, TimeUnit.MINUTES)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherSeedOrRequestSeedGetsAnotherAnswer() {
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 6), 1);
    ChatRequest seeded = request.toBuilder().seed(99L).build();

    String base = SimulatedLlm.builder().seed(7).build().chat(request).text();

    assertThat(SimulatedLlm.builder().seed(8).build().chat(request).text()).isNotEqualTo(base);
    assertThat(SimulatedLlm.builder().seed(7).build().chat(seeded).text()).isNotEqualTo(base);
  }

  @Test
  void answerIsTheTurnsJsonWithOneTurnPerListedSpeakerInOrder() throws Exception {
    List<String> speakers = List.of("Boris Lindqvist", "Ada Okafor", "Boris Lindqvist", "Emil", "Devraj Menon");
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, speakers, 4);

    JsonNode answer = JSON.readTree(SimulatedLlm.create().chat(request).text());

    assertThat(fieldNames(answer)).containsExactly("turns");
    JsonNode turns = answer.get("turns");
    assertThat(turns.isArray()).isTrue();
    List<String> named = new ArrayList<>();
    for (JsonNode turn : turns) {
      assertThat(fieldNames(turn)).containsExactly("speaker", "thought", "text");
      assertThat(turn.get("thought").asText()).isNotBlank().hasSizeLessThan(60);
      assertThat(turn.get("text").asText()).isNotBlank();
      named.add(turn.get("speaker").asText());
    }
    assertThat(named).isEqualTo(speakers);
  }

  @Test
  void textsMentionTheTopicWhoTheSpeakerIsAndThePreviousSpeaker() throws Exception {
    List<String> speakers = ConversationPrompts.rotation(GROUP, 12);
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, speakers, 1);

    List<String> texts = texts(SimulatedLlm.builder().seed(3).build().chat(request));

    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      assertThat(text).containsAnyOf("the town hall meeting", "the new bicycle bridge");
      Entity speaker = GROUP.get(i % GROUP.size());
      assertThat(text).containsAnyOf(identityHints(speaker));
      if (i > 0) {
        assertThat(text).contains(speakers.get(i - 1));
      }
    }
  }

  @Test
  void noTextRepeatsVerbatimInTwoThousandTurnsOfOneConversation() throws Exception {
    SimulatedLlm llm = SimulatedLlm.builder().seed(11).build();
    List<Entity> pair = List.of(Entities.ADA, Entities.BORIS);
    List<String> texts = new ArrayList<>();

    for (int round = 0; round < 20; round++) {
      ChatRequest request = ConversationPrompts.request(CONTEXT, pair, ConversationPrompts.rotation(pair, 100),
          round * 100 + 1);
      texts.addAll(texts(llm.chat(request)));
    }

    assertThat(texts).hasSize(2_000).doesNotHaveDuplicates();
  }

  @Test
  void aSoloConversationWritesEveryTurnForItsOneSpeaker() throws Exception {
    List<Entity> solo = List.of(Entities.CHIARA);
    ChatRequest request = ConversationPrompts.request(CONTEXT, solo, ConversationPrompts.rotation(solo, 3), 1);

    JsonNode turns = JSON.readTree(SimulatedLlm.create().chat(request).text()).get("turns");

    assertThat(turns).hasSize(3);
    for (JsonNode turn : turns) {
      assertThat(turn.get("speaker").asText()).isEqualTo("Chiara Rossi");
      assertThat(turn.get("text").asText()).containsAnyOf(identityHints(Entities.CHIARA));
    }
  }

  @Test
  void aPromptWithoutTheMarkersGetsZeroTurns() throws Exception {
    List<ChatRequest> unreadable = List.of(
        ChatRequest.of(List.of(ChatMessage.user("Tell me a joke."))),
        ChatRequest.of(List.of(ChatMessage.system("Context:\nA quiet library."))),
        ChatRequest.of(List.of(ChatMessage.user("Speakers, one per turn, in order: [not json"))));

    for (ChatRequest request : unreadable) {
      JsonNode answer = JSON.readTree(SimulatedLlm.create().chat(request).text());
      assertThat(answer.get("turns")).isEmpty();
    }
  }

  @Test
  void responseReportsTheModelAndEstimatesTokensAsCharactersOverFour() {
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 2), 1);

    ChatResponse response = SimulatedLlm.create().chat(request);

    assertThat(response.model()).isEqualTo(SimulatedLlm.MODEL_NAME).isEqualTo("cohort-simulated-1");
    assertThat(response.finishReason()).isEqualTo("stop");
    assertThat(response.usage().promptTokens()).isEqualTo((request.promptCharacters() + 3) / 4);
    assertThat(response.usage().completionTokens()).isEqualTo((response.text().length() + 3) / 4);
    assertThat(SimulatedLlm.create().describe()).isEqualTo("simulated model (offline)");
  }

  @Test
  void everyCallSleepsAtLeastTheMinimumLatency() {
    SimulatedLlm llm = SimulatedLlm.builder().latency(Duration.ofMillis(20), Duration.ofMillis(40)).build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);

    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      llm.chat(request);
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }
  }

  @Test
  void latenciesAreSeededAndSpreadOverTheRange() {
    Duration min = Duration.ofMillis(100);
    Duration max = Duration.ofMillis(300);
    SimulatedLlm llm = SimulatedLlm.builder().seed(5).latency(min, max).build();
    SimulatedLlm twin = SimulatedLlm.builder().seed(5).latency(min, max).build();

    Set<Duration> seen = new HashSet<>();
    for (long call = 0; call < 1_000; call++) {
      Duration latency = llm.latency(call);
      assertThat(latency).isBetween(min, max).isEqualTo(twin.latency(call));
      seen.add(latency);
    }

    assertThat(seen).hasSizeGreaterThan(900);
    assertThat(seen).anyMatch(d -> d.compareTo(Duration.ofMillis(120)) < 0);
    assertThat(seen).anyMatch(d -> d.compareTo(Duration.ofMillis(280)) > 0);
    assertThat(SimulatedLlm.builder().latency(min).build().latency(17)).isEqualTo(min);
  }

  @Test
  void failuresAreInjectedAtTheConfiguredRates() {
    SimulatedLlm llm = SimulatedLlm.builder().seed(1)
        .failureRate(0.05, FailureKind.RETRYABLE)
        .failureRate(0.05, FailureKind.RATE_LIMIT)
        .failureRate(0.05, FailureKind.BATCH_FATAL)
        .failureRate(0.05, FailureKind.CALL_FATAL)
        .failureRate(0.05, FailureKind.MALFORMED)
        .build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);

    Map<FailureKind, Integer> counts = new EnumMap<>(FailureKind.class);
    int answered = 0;
    for (int i = 0; i < 10_000; i++) {
      @Nullable FailureKind outcome = outcome(llm, request);
      if (outcome == null) {
        answered++;
      } else {
        counts.merge(outcome, 1, Integer::sum);
      }
    }

    for (FailureKind kind : FailureKind.values()) {
      assertThat(counts.getOrDefault(kind, 0)).as("%s failures in 10,000 calls", kind).isBetween(350, 650);
    }
    assertThat(answered).isBetween(7_000, 8_000);
  }

  @Test
  void theSameSeedInjectsTheSameFailuresInTheSameCalls() {
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);

    List<@Nullable FailureKind> first = outcomes(SimulatedLlm.builder().seed(9).failureRate(0.3, FailureKind.RETRYABLE)
        .failureRate(0.1, FailureKind.MALFORMED).build(), request);
    List<@Nullable FailureKind> again = outcomes(SimulatedLlm.builder().seed(9).failureRate(0.3, FailureKind.RETRYABLE)
        .failureRate(0.1, FailureKind.MALFORMED).build(), request);
    List<@Nullable FailureKind> otherSeed = outcomes(SimulatedLlm.builder().seed(10).failureRate(0.3, FailureKind.RETRYABLE)
        .failureRate(0.1, FailureKind.MALFORMED).build(), request);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(value = FailureKind.class, names = {"RETRYABLE", "RATE_LIMIT", "BATCH_FATAL", "CALL_FATAL"})
  void eachThrownFailureKindCarriesItsExceptionTypeAndFields(FailureKind kind) {
    SimulatedLlm llm = SimulatedLlm.builder().failureRate(1.0, kind).retryAfter(Duration.ofMillis(1_500)).build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);

    Throwable thrown = catchLlmException(llm, request);

    LlmException e = (LlmException) thrown;
    assertThat(e.requestId()).startsWith("simulated-");
    switch (kind) {
      case RETRYABLE -> {
        assertThat(e).isExactlyInstanceOf(RetryableLlmException.class);
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(((RetryableLlmException) e).isRateLimit()).isFalse();
        assertThat(((RetryableLlmException) e).retryAfter()).isNull();
      }
      case RATE_LIMIT -> {
        assertThat(e).isExactlyInstanceOf(RetryableLlmException.class);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(((RetryableLlmException) e).isRateLimit()).isTrue();
        assertThat(((RetryableLlmException) e).retryAfter()).isEqualTo(Duration.ofMillis(1_500));
      }
      case BATCH_FATAL -> {
        assertThat(e).isExactlyInstanceOf(BatchFatalLlmException.class);
        assertThat(e.httpStatus()).isEqualTo(401);
      }
      case CALL_FATAL -> {
        assertThat(e).isExactlyInstanceOf(CallFatalLlmException.class);
        assertThat(e.httpStatus()).isEqualTo(400);
      }
      case MALFORMED -> throw new AssertionError("MALFORMED answers instead of throwing");
    }
  }

  @Test
  void aMalformedAnswerIsNotTheTurnsJson() {
    SimulatedLlm llm = SimulatedLlm.builder().failureRate(1.0, FailureKind.MALFORMED).build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 2), 1);

    for (int i = 0; i < 20; i++) {
      ChatResponse response = llm.chat(request);
      assertThat(isTurnsJson(response.text(), 2)).as(response.text()).isFalse();
      for (Entity participant : GROUP) {
        assertThat(response.text()).doesNotContain(participant.name() + ":");
      }
    }
  }

  @Test
  void anInterruptDuringTheLatencyThrowsRetryableAndKeepsTheInterruptFlag() {
    SimulatedLlm llm = SimulatedLlm.builder().latency(Duration.ofSeconds(30)).build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> llm.chat(request))
          .isExactlyInstanceOf(RetryableLlmException.class)
          .hasMessage("interrupted")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptFromAnotherThreadEndsTheSleep() throws Exception {
    SimulatedLlm llm = SimulatedLlm.builder().latency(Duration.ofSeconds(30)).build();
    ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 1), 1);
    List<Object> outcome = new ArrayList<>();
    Thread caller = new Thread(() -> {
      try {
        llm.chat(request);
        outcome.add("answered");
      } catch (RetryableLlmException e) {
        outcome.add(e.getMessage());
        outcome.add(Thread.currentThread().isInterrupted());
      }
    });

    caller.start();
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(20));

    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome).containsExactly("interrupted", true);
  }

  @Test
  void builderRejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> SimulatedLlm.builder().latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
    assertThatThrownBy(() -> SimulatedLlm.builder().latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greater than max");
    assertThatThrownBy(() -> SimulatedLlm.builder().failureRate(1.5, FailureKind.RETRYABLE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RETRYABLE").hasMessageContaining("1.5");
    assertThatThrownBy(() -> SimulatedLlm.builder().failureRate(Double.NaN, FailureKind.MALFORMED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MALFORMED");
    assertThatThrownBy(() -> SimulatedLlm.builder().failureRate(0.6, FailureKind.RETRYABLE)
            .failureRate(0.6, FailureKind.RATE_LIMIT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1");
    assertThatThrownBy(() -> SimulatedLlm.builder().retryAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
    assertThat(SimulatedLlm.builder().failureRate(0.6, FailureKind.RETRYABLE)
        .failureRate(0.6, FailureKind.RETRYABLE).build()).isNotNull();
  }

  // ---- helpers ----

  private static List<String> texts(ChatResponse response) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode turn : JSON.readTree(response.text()).get("turns")) {
      out.add(turn.get("text").asText());
    }
    return out;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Words that show who the entity is: its occupation, its description's start, or a generic phrase. */
  private static String[] identityHints(Entity entity) {
    List<String> hints = new ArrayList<>();
    Object occupation = entity.attributes().get("occupation");
    if (occupation != null) {
      hints.add(occupation.toString());
    }
    String description = entity.description();
    if (description != null) {
      String[] words = description.toLowerCase(Locale.ROOT).replaceAll("[.]", "").split(" ");
      hints.add(String.join(" ", List.of(words).subList(1, Math.min(4, words.length))));
    } else {
      hints.add("my own experience");
    }
    return hints.toArray(String[]::new);
  }

  @Test
  void anAnswerIsTheTextTheObjectMapperWritesForItsTurns() throws Exception {
    // The answer is written field by field; its text must stay what serialising maps of the same
    // fields gave, byte for byte, so that seeded answers do not change.
    for (long seed = 0; seed < 20; seed++) {
      ChatRequest request = ConversationPrompts.request(CONTEXT, GROUP, ConversationPrompts.rotation(GROUP, 5),
          1 + (int) seed % 3);
      String text = SimulatedLlm.builder().seed(seed).build().chat(request).text();
      JsonNode parsed = JSON.readTree(text);
      assertThat(JSON.writeValueAsString(parsed)).isEqualTo(text);
      assertThat(parsed.properties()).extracting(Map.Entry::getKey).containsExactly("turns");
      assertThat(parsed.get("turns")).isNotEmpty().allSatisfy(turn -> assertThat(turn.properties())
          .extracting(Map.Entry::getKey).containsExactly("speaker", "thought", "text"));
    }
  }

  private static boolean isTurnsJson(String text, int expectedTurns) {
    try {
      JsonNode turns = JSON.readTree(text).get("turns");
      return turns != null && turns.isArray() && turns.size() == expectedTurns;
    } catch (Exception e) {
      return false;
    }
  }

  /** The failure kind of one call, or null when it answered properly. */
  private static @Nullable FailureKind outcome(SimulatedLlm llm, ChatRequest request) {
    try {
      ChatResponse response = llm.chat(request);
      return isTurnsJson(response.text(), 1) ? null : FailureKind.MALFORMED;
    } catch (BatchFatalLlmException e) {
      return FailureKind.BATCH_FATAL;
    } catch (CallFatalLlmException e) {
      return FailureKind.CALL_FATAL;
    } catch (RetryableLlmException e) {
      return e.isRateLimit() ? FailureKind.RATE_LIMIT : FailureKind.RETRYABLE;
    }
  }

  private static List<@Nullable FailureKind> outcomes(SimulatedLlm llm, ChatRequest request) {
    List<@Nullable FailureKind> out = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      @Nullable FailureKind outcome = outcome(llm, request);
      out.add(outcome);
    }
    return out;
  }

  private static Throwable catchLlmException(SimulatedLlm llm, ChatRequest request) {
    try {
      llm.chat(request);
    } catch (LlmException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }
}
