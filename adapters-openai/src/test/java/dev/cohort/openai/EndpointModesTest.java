package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure OpenAI, local servers without a key, and OpenAI's own API. */
class EndpointModesTest {
  private static final ChatRequest HELLO = ChatRequest.of(List.of(ChatMessage.user("Hello")));

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
  void azureCallsTheDeploymentPathWithTheApiVersionAndAnApiKeyHeader() {
    server.enqueue(Reply.ok("Hello from Azure.")
        .withoutHeader("x-ratelimit-limit-requests")
        .header("apim-request-id", "7c9e-azure"));
    OpenAiChatModel model = OpenAiChatModel.builder()
        .azure(server.root() + "/", "gpt-4o-mini-prod")
        .apiKey("0123456789abcdef0123456789abcdef")
        .build();

    String text = model.chat(HELLO).text();

    FakeOpenAiServer.Recorded request = server.lastRequest();
    assertThat(text).isEqualTo("Hello from Azure.");
    assertThat(request.path()).isEqualTo("/openai/deployments/gpt-4o-mini-prod/chat/completions");
    assertThat(request.query()).isEqualTo("api-version=" + OpenAiChatModel.DEFAULT_AZURE_API_VERSION);
    assertThat(request.header("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(request.header("authorization")).isNull();
    assertThat(model.describe()).isEqualTo("Azure OpenAI deployment gpt-4o-mini-prod at " + server.root());
  }

  @Test
  void azureTakesAnotherApiVersion() {
    OpenAiChatModel.builder()
        .azure(server.root(), "prod")
        .azureApiVersion("2025-01-01-preview")
        .build()
        .chat(HELLO);

    assertThat(server.lastRequest().query()).isEqualTo("api-version=2025-01-01-preview");
  }

  @Test
  void aLocalServerNeedsNoKeyAndGetsNoAuthorizationHeader() {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).model("llama3.1").build();

    String text = model.chat(HELLO).text();

    assertThat(text).isEqualTo("Hello.");
    assertThat(server.lastRequest().header("authorization")).isNull();
    assertThat(server.lastRequest().header("api-key")).isNull();
    assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("llama3.1");
  }

  @Test
  void aTrailingSlashOnTheBaseUrlIsIgnored() {
    OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/").build().chat(HELLO);

    assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void openAisOwnApiWithoutAKeyIsRejected() {
    assertThatThrownBy(() -> OpenAiChatModel.builder().build())
        .isInstanceOf(ValidationException.class)
        .hasMessage("apiKey: OpenAI's API at https://api.openai.com/v1 needs an API key: "
            + "set OPENAI_API_KEY or call apiKey(…)");
  }

  @Test
  void badSettingsAreRejectedNamingTheSetting() {
    OpenAiChatModel.Builder builder = OpenAiChatModel.builder();

    assertThatThrownBy(() -> builder.baseUrl("localhost:11434"))
        .hasMessageStartingWith("baseUrl: must be an absolute http or https URL");
    assertThatThrownBy(() -> builder.baseUrl("http://localhost:8000/v1?key=x"))
        .hasMessage("baseUrl: must not have a query or fragment, was 'http://localhost:8000/v1'");
    assertThatThrownBy(() -> builder.model(" ")).hasMessage("model: must not be blank");
    assertThatThrownBy(() -> builder.apiKey("")).hasMessage("apiKey: must not be blank");
    assertThatThrownBy(() -> builder.azure("https://x.openai.azure.com", "my deployment"))
        .hasMessage("azureDeployment: must be letters, digits, '.', '_' or '-', was 'my deployment'");
    assertThatThrownBy(() -> builder.requestTimeout(java.time.Duration.ZERO))
        .hasMessage("requestTimeout: must be positive, was PT0S");
    assertThatThrownBy(() -> builder.header("Host", "example.com"))
        .hasMessage("headers: 'Host' is set by the HTTP client and cannot be given");
    assertThatThrownBy(() -> builder.header("Bad Name", "x"))
        .hasMessage("headers: 'Bad Name' is not a valid header name");
    assertThatThrownBy(() -> builder.header("X-Trace", "a\r\nInjected: yes"))
        .hasMessage("headers: must not contain a line break");
    assertThatThrownBy(() -> builder.bodyField("messages", List.of()))
        .hasMessage("bodyFields: 'messages' is written by Cohort and cannot be given");
    assertThatThrownBy(() -> builder.bodyField("stream", true))
        .isInstanceOf(ValidationException.class);
  }
}
