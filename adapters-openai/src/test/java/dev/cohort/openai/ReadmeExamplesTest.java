package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.inmemory.InMemoryRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of the README's "Using a real model" section, compiled. Keys come from a map here
 * instead of the real environment, and no call is sent: building a model does no I/O.
 */
class ReadmeExamplesTest {
  private static final Map<String, String> ENV = Map.of(
      "OPENAI_API_KEY", "sk-readme-0000000000000000",
      "AZURE_OPENAI_API_KEY", "0123456789abcdef0123456789abcdef");

  @Test
  void aCohortOnAModelFromTheEnvironment() throws IOException {
    try (FakeOpenAiServer server = FakeOpenAiServer.start();
        Cohort cohort = Cohort.builder()
            .llm(OpenAiChatModel.fromEnv(Map.of("OPENAI_BASE_URL", server.baseUrl())))
            .repository(InMemoryRepository.create())
            .rateLimit(RateLimit.of(500, 200_000))
            .build()) {
      assertThat(cohort.describeModel()).contains(server.baseUrl()).contains("gpt-4o-mini");
    }
  }

  @Test
  void theBuilderExamples() {
    OpenAiChatModel openAi = OpenAiChatModel.builder()
        .apiKey(ENV.get("OPENAI_API_KEY"))
        .model("gpt-4o-mini")
        .project("proj_abc123")
        .requestTimeout(Duration.ofMinutes(2))
        .build();

    OpenAiChatModel azure = OpenAiChatModel.builder()
        .azure("https://my-resource.openai.azure.com", "gpt-4o-mini-prod")
        .apiKey(ENV.get("AZURE_OPENAI_API_KEY"))
        .azureApiVersion("2024-10-21")
        .build();

    OpenAiChatModel ollama = OpenAiChatModel.builder()
        .baseUrl("http://localhost:11434/v1")
        .model("llama3.1")
        .bodyField("options", Map.of("num_ctx", 16384))
        .build();

    OpenAiChatModel vllm = OpenAiChatModel.builder()
        .baseUrl("http://localhost:8000/v1")
        .model("Qwen/Qwen2.5-7B-Instruct")
        .apiKey("token-abc123")
        .build();

    assertThat(openAi.describe()).isEqualTo("OpenAI (model gpt-4o-mini)");
    assertThat(azure.describe())
        .isEqualTo("Azure OpenAI deployment gpt-4o-mini-prod at https://my-resource.openai.azure.com");
    assertThat(ollama.describe())
        .isEqualTo("OpenAI-compatible server at http://localhost:11434/v1 (model llama3.1)");
    assertThat(vllm.describe())
        .isEqualTo("OpenAI-compatible server at http://localhost:8000/v1 (model Qwen/Qwen2.5-7B-Instruct)");
  }

  @Test
  void theRateLimitExamples() {
    assertThat(RateLimit.ofRequestsPerMinute(600).requestsPerMinute()).hasValue(600);
    assertThat(RateLimit.ofTokensPerMinute(30_000).withCompletionTokensEstimate(512).completionTokensEstimate())
        .isEqualTo(512);
    assertThat(RateLimit.NONE.isUnlimited()).isTrue();
  }
}
