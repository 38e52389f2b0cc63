package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.InMemoryRepository;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Live calls to the real OpenAI API (or whatever {@code OPENAI_BASE_URL} points at). Runs only
 * when {@code OPENAI_API_KEY} is set, costs a few cents' worth of tokens at most.
 */
@EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
class OpenAiChatModelIT {
  private static final Map<String, Object> TURNS = Map.of(
      "type", "object",
      "additionalProperties", false,
      "required", List.of("turns"),
      "properties", Map.of("turns", Map.of(
          "type", "array",
          "items", Map.of(
              "type", "object",
              "additionalProperties", false,
              "required", List.of("speaker", "thought", "text"),
              "properties", Map.of(
                  "speaker", Map.of("type", "string"),
                  "thought", Map.of("type", "string"),
                  "text", Map.of("type", "string"))))));

  @Test
  void answersWithTextUsageRequestIdAndRateLimits() {
    ChatResponse response = OpenAiChatModel.fromEnv().chat(ChatRequest.builder()
        .message(ChatMessage.user("Say hello in one word.")).temperature(0.0).maxTokens(20).seed(1L).build());

    assertThat(response.text()).isNotBlank();
    assertThat(response.usage().promptTokens()).isPositive();
    assertThat(response.usage().completionTokens()).isPositive();
    assertThat(response.model()).isNotBlank();
    assertThat(response.requestId()).isNotBlank();
    assertThat(response.rateLimits()).isNotNull();
  }

  @Test
  void answersInTheTurnFormatWhenGivenItsSchema() throws Exception {
    ChatResponse response = OpenAiChatModel.fromEnv().chat(ChatRequest.builder()
        .messages(List.of(ChatMessage.system("You write dialogue."),
            ChatMessage.user("Write one turn by Ada greeting Boris.")))
        .temperature(0.0).maxTokens(200).seed(1L).jsonSchema(TURNS).build());

    JsonNode turns = FakeOpenAiServer.JSON.readTree(response.text()).path("turns");
    assertThat(turns.isArray()).isTrue();
    assertThat(turns.path(0).path("speaker").asText()).isEqualTo("Ada");
  }

  @Test
  void aWrongKeyStopsTheBatchWithoutShowingTheKey() {
    String wrong = "sk-proj-cohortLiveTestWrongKey0000000000000000";
    OpenAiChatModel model = OpenAiChatModel.builder()
        .fromEnv(System.getenv())
        .apiKey(wrong)
        .build();

    assertThatThrownBy(() -> model.chat(ChatRequest.of(List.of(ChatMessage.user("Hi")))))
        .isInstanceOf(BatchFatalLlmException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(wrong);
  }

  @Test
  void runsASmallBatchEndToEnd() {
    try (Cohort cohort = Cohort.builder()
        .llm(OpenAiChatModel.fromEnv())
        .repository(InMemoryRepository.create())
        .rateLimit(RateLimit.ofRequestsPerMinute(60))
        .build()) {
      cohort.saveEntities(List.of(
          Entity.of("ada", "Ada", "A retired engineer who distrusts hype."),
          Entity.of("boris", "Boris", "A young farmer worried about droughts."),
          Entity.of("chiara", "Chiara", "A city planner who loves trams.")));

      Batch batch = cohort.run(BatchRequest.builder()
          .name("live test")
          .context("Three neighbours talk about the town's new bus line.")
          .entityIds("ada", "boris", "chiara")
          .interactionSize(2)
          .numSimulations(2)
          .nTurns(2)
          .llm(new LlmOptions(null, 0.7, 300))
          .build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(2);
    }
  }
}
