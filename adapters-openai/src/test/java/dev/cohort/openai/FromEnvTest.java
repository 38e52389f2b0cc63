package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FromEnvTest {
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
  void everyOpenAiVariableIsUsed() {
    OpenAiChatModel model = OpenAiChatModel.fromEnv(Map.of(
        "OPENAI_API_KEY", "sk-env-key-000111222333",
        "OPENAI_BASE_URL", server.baseUrl(),
        "OPENAI_MODEL", "gpt-4.1-nano",
        "OPENAI_ORG_ID", "org-env",
        "OPENAI_PROJECT_ID", "proj_env"));

    model.chat(HELLO);

    FakeOpenAiServer.Recorded request = server.lastRequest();
    assertThat(request.header("authorization")).isEqualTo("Bearer sk-env-key-000111222333");
    assertThat(request.header("openai-organization")).isEqualTo("org-env");
    assertThat(request.header("openai-project")).isEqualTo("proj_env");
    assertThat(request.json().path("model").asText()).isEqualTo("gpt-4.1-nano");
  }

  @Test
  void aKeyAloneMeansOpenAiWithTheDefaultModel() {
    OpenAiChatModel model = OpenAiChatModel.fromEnv(Map.of("OPENAI_API_KEY", "sk-env-key-000111222333"));

    assertThat(model.describe()).isEqualTo("OpenAI (model " + OpenAiChatModel.DEFAULT_MODEL + ")");
  }

  @Test
  void aBaseUrlAloneMeansALocalServerWithoutAKey() {
    OpenAiChatModel model = OpenAiChatModel.fromEnv(Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "  "));

    model.chat(HELLO);

    assertThat(server.lastRequest().header("authorization")).isNull();
  }

  @Test
  void noVariablesMeansOpenAiWithoutAKeyWhichIsRejected() {
    assertThatThrownBy(() -> OpenAiChatModel.fromEnv(Map.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("apiKey: OpenAI's API at https://api.openai.com/v1 needs an API key");
  }

  @Test
  void aBadValueIsReportedUnderTheVariablesName() {
    assertThatThrownBy(() -> OpenAiChatModel.fromEnv(Map.of("OPENAI_BASE_URL", "localhost:11434/v1")))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("OPENAI_BASE_URL: must be an absolute http or https URL");
  }

  @Test
  void azureVariablesSelectAzureMode() {
    OpenAiChatModel model = OpenAiChatModel.fromEnv(Map.of(
        "AZURE_OPENAI_ENDPOINT", server.root(),
        "AZURE_OPENAI_DEPLOYMENT", "prod-mini",
        "AZURE_OPENAI_API_KEY", "0123456789abcdef0123456789abcdef",
        "OPENAI_API_VERSION", "2024-06-01"));

    model.chat(HELLO);

    FakeOpenAiServer.Recorded request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/openai/deployments/prod-mini/chat/completions");
    assertThat(request.query()).isEqualTo("api-version=2024-06-01");
    assertThat(request.header("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
  }

  @Test
  void anAzureEndpointWithoutADeploymentIsRejected() {
    assertThatThrownBy(() -> OpenAiChatModel.fromEnv(Map.of("AZURE_OPENAI_ENDPOINT", server.root())))
        .isInstanceOf(ValidationException.class)
        .hasMessage("AZURE_OPENAI_DEPLOYMENT: must be set when AZURE_OPENAI_ENDPOINT is set");
  }

  @Test
  void theBuilderTakesTheEnvironmentAndMoreSettings() {
    OpenAiChatModel.builder()
        .fromEnv(Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_MODEL", "qwen2.5"))
        .bodyField("top_p", 0.5)
        .build()
        .chat(HELLO);

    assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("qwen2.5");
    assertThat(server.lastRequest().json().path("top_p").asDouble()).isEqualTo(0.5);
  }
}
