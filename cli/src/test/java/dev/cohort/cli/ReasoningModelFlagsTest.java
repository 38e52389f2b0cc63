package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.LlmPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The flags for OpenAI's reasoning models reach the wire as OpenAI names the fields: {@code
 * max_completion_tokens}, {@code reasoning_effort} and {@code response_format}, checked on the
 * body a loopback server receives.
 */
class ReasoningModelFlagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ChatRequest REQUEST = ChatRequest.builder()
      .message(ChatMessage.user("Hello")).maxTokens(300)
      .jsonSchema(Map.of("type", "object", "title", "turns")).build();

  @TempDir
  Path dir;

  private HttpServer server;
  private final AtomicReference<JsonNode> received = new AtomicReference<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      received.set(JSON.readTree(exchange.getRequestBody()));
      byte[] body = "{\"error\": {\"message\": \"stop here\", \"type\": \"invalid_request_error\"}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(400, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void maxCompletionTokensReasoningEffortAndResponseFormatAreSentAsOpenAiNamesThem() {
    JsonNode body = sent("run", "--entities", "a,b", "--context", "x", "--interaction-size", "2", "--num-simulations",
        "1", "--max-completion-tokens", "300", "--reasoning-effort", "low", "--response-format", "json-object");

    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(body.get("response_format").get("type").asText()).isEqualTo("json_object");
  }

  @Test
  void withoutTheFlagsTheLimitIsMaxTokensWithAStrictJsonSchemaAndNoReasoningEffort() {
    JsonNode body = sent("run", "--entities", "a,b", "--context", "x", "--interaction-size", "2", "--num-simulations",
        "1", "--max-tokens", "300");

    assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("max_completion_tokens") || body.has("reasoning_effort")).isFalse();
    assertThat(body.get("response_format").get("type").asText()).isEqualTo("json_schema");
  }

  @Test
  void responseFormatNoneSendsNoResponseFormatAndResumeTakesTheFlagsToo() {
    JsonNode body = sent("batches", "resume", "some-id", "--response-format", "none", "--reasoning-effort", "high",
        "--max-completion-tokens");

    assertThat(body.has("response_format")).isFalse();
    assertThat(body.get("reasoning_effort").asText()).isEqualTo("high");
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(300);
  }

  @Test
  void maxTokensAndMaxCompletionTokensCannotBeGivenTogether() {
    CohortCli.Result result = InProcess.run("run", "--offline", "--db", dir.resolve("cohort.db").toString(),
        "--entities", "a,b", "--context", "x", "--interaction-size", "2", "--num-simulations", "1",
        "--max-tokens", "100", "--max-completion-tokens", "300");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--max-completion-tokens", "--max-tokens");
  }

  @Test
  void anUnknownReasoningEffortIsAUsageError() {
    CohortCli.Result result = InProcess.run("run", "--offline", "--db", dir.resolve("cohort.db").toString(),
        "--entities", "a,b", "--context", "x", "--interaction-size", "2", "--num-simulations", "1",
        "--reasoning-effort", "extreme");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--reasoning-effort", "extreme");
  }

  /** The body the model these command-line flags select sends for a request with a 300-token limit. */
  private JsonNode sent(String... args) {
    CommandLine cli = CohortCommand.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    ModelOptions models = modelOptions(parsed.commandSpec().userObject());
    LlmPort llm = models.select(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
        "OPENAI_API_KEY", "sk-test")).llm();
    try {
      llm.chat(REQUEST);
    } catch (LlmException expected) {
      // The server answers 400 after capturing the body.
    }
    assertThat(received.get()).as("the body the server received").isNotNull();
    return received.get();
  }

  private static ModelOptions modelOptions(Object command) {
    if (command instanceof RunCommand run) {
      return run.models;
    }
    return ((BatchesCommand.Resume) command).models;
  }
}
