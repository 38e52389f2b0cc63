package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RateLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {
  static final String KEY = "sk-proj-test-0123456789abcdefXYZ";
  static final Map<String, Object> TURN_SCHEMA = Map.of(
      "title", "turns",
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
  void answersWithTextUsageFinishReasonModelAndRequestId() {
    server.enqueue(Reply.completion("Ada: \"Hello.\"", "stop", 1_234, 56, 1_024));

    ChatResponse response = model().build().chat(ChatRequest.of(List.of(ChatMessage.user("Hi"))));

    assertThat(response.text()).isEqualTo("Ada: \"Hello.\"");
    assertThat(response.usage()).isEqualTo(new TokenUsage(1_234, 56, 1_024));
    assertThat(response.finishReason()).isEqualTo("stop");
    assertThat(response.truncated()).isFalse();
    assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(response.requestId()).isEqualTo(server.lastRequest().requestId());
  }

  @Test
  void sendsTheMessagesAndOptionsAsAChatCompletionsBody() {
    model().build().chat(ChatRequest.builder()
        .messages(List.of(ChatMessage.system("You write dialogue."), ChatMessage.user("Begin."),
            ChatMessage.assistant("Ada: Hi."), ChatMessage.user("Continue.")))
        .model("gpt-4o").temperature(0.7).maxTokens(800).seed(42L)
        .build());

    FakeOpenAiServer.Recorded request = server.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.json()).isEqualTo(json(
        "{\"model\":\"gpt-4o\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You write dialogue.\"},"
            + "{\"role\":\"user\",\"content\":\"Begin.\"},"
            + "{\"role\":\"assistant\",\"content\":\"Ada: Hi.\"},"
            + "{\"role\":\"user\",\"content\":\"Continue.\"}],"
            + "\"temperature\":0.7,\"max_tokens\":800,\"seed\":42}"));
  }

  @Test
  void leavesOutWhatTheRequestLeavesOpenAndUsesTheConfiguredModel() {
    model().model("llama3.1:8b").build().chat(ChatRequest.of(List.of(ChatMessage.user("Hi"))));

    assertThat(server.lastRequest().json()).isEqualTo(json(
        "{\"model\":\"llama3.1:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
  }

  @Test
  void sendsTheJsonSchemaAsAStructuredOutputResponseFormat() {
    model().build().chat(withSchema());

    JsonNode format = server.lastRequest().json().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("turns");
    assertThat(format.path("json_schema").path("strict").asBoolean(false)).isTrue();
    assertThat(format.path("json_schema").path("schema")).isEqualTo(FakeOpenAiServer.JSON.valueToTree(TURN_SCHEMA));
  }

  @Test
  void strictSchemaAdherenceCanBeSwitchedOff() {
    model().strictJsonSchema(false).build().chat(withSchema());

    assertThat(server.lastRequest().json().at("/response_format/json_schema/strict").asBoolean(true)).isFalse();
  }

  @Test
  void namesASchemaWithoutAUsableTitleResponse() {
    model().build().chat(ChatRequest.builder().message(ChatMessage.user("Hi"))
        .jsonSchema(Map.of("title", "Turns of a round", "type", "object")).build());

    assertThat(server.lastRequest().json().at("/response_format/json_schema/name").asText()).isEqualTo("response");
  }

  @Test
  void asksForAnyJsonWhenTheServerHasNoStructuredOutputs() {
    model().responseFormat(OpenAiChatModel.ResponseFormat.JSON_OBJECT).build().chat(withSchema());

    assertThat(server.lastRequest().json().path("response_format")).isEqualTo(json("{\"type\":\"json_object\"}"));
  }

  @Test
  void sendsNoResponseFormatWhenSwitchedOff() {
    model().responseFormat(OpenAiChatModel.ResponseFormat.NONE).build().chat(withSchema());

    assertThat(server.lastRequest().json().has("response_format")).isFalse();
  }

  @Test
  void sendsMaxCompletionTokensInsteadOfMaxTokensWhenConfigured() {
    model().useMaxCompletionTokens(true).build().chat(
        ChatRequest.builder().message(ChatMessage.user("Hi")).maxTokens(500).build());

    JsonNode body = server.lastRequest().json();
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(500);
    assertThat(body.has("max_tokens")).isFalse();
  }

  @Test
  void addsExtraBodyFieldsWhichWinOverCohortsOwn() {
    model()
        .bodyField("top_p", 0.9)
        .bodyField("options", Map.of("num_ctx", 8192))
        .bodyField("seed", 7)
        .build()
        .chat(ChatRequest.builder().message(ChatMessage.user("Hi")).seed(42L).build());

    JsonNode body = server.lastRequest().json();
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("options")).isEqualTo(json("{\"num_ctx\":8192}"));
    assertThat(body.path("seed").asLong()).isEqualTo(7);
  }

  @Test
  void sendsTheKeyAsABearerTokenWithOrganizationProjectAndExtraHeaders() {
    model()
        .organization("org-cohort")
        .project("proj_abc")
        .header("X-Gateway-Route", "research")
        .build()
        .chat(ChatRequest.of(List.of(ChatMessage.user("Hi"))));

    FakeOpenAiServer.Recorded request = server.lastRequest();
    assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.header("openai-organization")).isEqualTo("org-cohort");
    assertThat(request.header("openai-project")).isEqualTo("proj_abc");
    assertThat(request.header("x-gateway-route")).isEqualTo("research");
    assertThat(request.header("api-key")).isNull();
  }

  @Test
  void reportsAnAnswerCutOffByTheTokenLimit() {
    server.enqueue(Reply.completion("{\"turns\":[{\"speaker\":\"Ada\",\"te", "length", 300, 20, 0));

    ChatResponse response = model().build().chat(withSchema());

    assertThat(response.finishReason()).isEqualTo("length");
    assertThat(response.truncated()).isTrue();
  }

  @Test
  void readsTheRateLimitHeaders() {
    server.enqueue(Reply.ok("Hi.")
        .header("x-ratelimit-limit-requests", "500")
        .header("x-ratelimit-remaining-requests", "499")
        .header("x-ratelimit-reset-requests", "120ms")
        .header("x-ratelimit-limit-tokens", "200000")
        .header("x-ratelimit-remaining-tokens", "150000")
        .header("x-ratelimit-reset-tokens", "1m30.5s"));

    ChatResponse response = model().build().chat(ChatRequest.of(List.of(ChatMessage.user("Hi"))));

    assertThat(response.rateLimits()).isEqualTo(new RateLimits(
        500L, 499L, Duration.ofMillis(120), 200_000L, 150_000L, Duration.ofMillis(90_500)));
  }

  @Test
  void answersWithoutUsageOrRateLimitsAsSomeLocalServersDo() {
    server.enqueue(Reply.raw(200, "application/json",
        "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"llama3.1\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi.\"},\"finish_reason\":\"stop\"}]}"));

    ChatResponse response = model().build().chat(ChatRequest.of(List.of(ChatMessage.user("Hi"))));

    assertThat(response.text()).isEqualTo("Hi.");
    assertThat(response.usage()).isEqualTo(TokenUsage.ZERO);
    assertThat(response.rateLimits()).isNull();
    assertThat(response.model()).isEqualTo("llama3.1");
  }

  @Test
  void aRefusalFailsTheCallWithTheModelsReason() {
    server.enqueue(Reply.raw(200, "application/json",
        "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7}}"));

    assertThatThrownBy(() -> model().build().chat(withSchema()))
        .isInstanceOf(CallFatalLlmException.class)
        .hasMessageContaining("refused to answer: I can't help with that.")
        .hasMessageContaining(server.lastRequest().requestId());
  }

  @Test
  void describesProviderAndModelWithoutTheKey() {
    OpenAiChatModel model = model().build();

    assertThat(model.describe())
        .isEqualTo("OpenAI-compatible server at " + server.baseUrl() + " (model gpt-4o-mini)")
        .isEqualTo(model.toString());
    assertThat(OpenAiChatModel.builder().apiKey(KEY).build().describe()).isEqualTo("OpenAI (model gpt-4o-mini)");
  }

  private OpenAiChatModel.Builder model() {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey(KEY);
  }

  private static ChatRequest withSchema() {
    return ChatRequest.builder().message(ChatMessage.user("Write the round.")).jsonSchema(TURN_SCHEMA).build();
  }

  static JsonNode json(String text) {
    try {
      return FakeOpenAiServer.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
