package dev.cohort.openai;

import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.port.LlmPort;
import dev.cohort.testkit.LlmContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link OpenAiChatModel} keeps the {@link LlmPort} contract against the fake OpenAI server on
 * loopback, which answers with OpenAI's own bodies: completions billed by prompt length, and the
 * errors OpenAI sends for each failure class.
 */
class OpenAiChatModelContractTest extends LlmContractTest {
  private final List<FakeOpenAiServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(FakeOpenAiServer::close);
  }

  /**
   * Answers with a text that depends on the whole conversation, billing a token per four
   * characters of the request body and of the answer, as a provider bills by length.
   */
  @Override
  protected LlmPort answeringModel() {
    return modelAnswering(request -> {
      StringBuilder conversation = new StringBuilder();
      for (JsonNode message : request.json().path("messages")) {
        conversation.append(message.path("content").asText());
      }
      String text = "Turns for a conversation of " + conversation.length() + " characters, hash "
          + Integer.toHexString(conversation.toString().hashCode()) + ".";
      return Reply.completion(text, "stop", (request.body().length() + 3) / 4, (text.length() + 3) / 4, 0);
    });
  }

  @Override
  protected LlmPort failingModel(Failure failure) {
    Reply reply = switch (failure) {
      case RETRYABLE -> Reply.error(503, "server_error", null,
          "The server is overloaded or not ready yet.");
      case RATE_LIMIT -> Reply.rateLimited("1");
      case BATCH_FATAL -> Reply.error(401, "invalid_request_error", "invalid_api_key",
          "Incorrect API key provided: sk-proj-****************************abcd. You can find your API key at "
              + "https://platform.openai.com/account/api-keys.");
      case CALL_FATAL -> Reply.error(400, "invalid_request_error", "context_length_exceeded",
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens.");
    };
    return modelAnswering(request -> reply);
  }

  @Override
  protected LlmPort slowModel() {
    return modelAnswering(request -> Reply.ok("Too late.").delayedBy(SLOW_CALL));
  }

  private LlmPort modelAnswering(Function<Recorded, Reply> script) {
    FakeOpenAiServer server;
    try {
      server = FakeOpenAiServer.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers.add(server);
    server.otherwise(script);
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-contract-test-key").build();
  }
}
