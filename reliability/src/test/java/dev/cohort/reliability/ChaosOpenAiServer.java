package dev.cohort.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI Chat Completions server on 127.0.0.1 that answers like a careless provider on every
 * n-th request, the kinds of misbehaviour in turn: rate limits, server errors, HTML error pages, malformed and cut-off
 * bodies, answers held until the client has given up waiting, and refusals of the key; and in every error it
 * echoes the API key it was sent, as a provider's error text sometimes does. Other requests get a
 * real answer written by {@link SimulatedLlm}.
 */
final class ChaosOpenAiServer implements AutoCloseable {
  /** How a request is answered. */
  enum Answer {
    HONEST, RATE_LIMITED, SERVER_ERROR, HTML_ERROR_PAGE, MALFORMED_BODY, CUT_OFF, TOO_SLOW, KEY_REFUSED
  }

  /** The longest a too-slow answer is held, should a test leave the server open. */
  static final Duration LONGEST_HOLD = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Answer> FAULTS = List.of(Answer.RATE_LIMITED, Answer.SERVER_ERROR, Answer.HTML_ERROR_PAGE,
      Answer.MALFORMED_BODY, Answer.CUT_OFF, Answer.TOO_SLOW);

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final SimulatedLlm honest = SimulatedLlm.builder().seed(9).build();
  private final int period;
  private final boolean refuseEveryKey;
  /** Opened when the server closes: a too-slow answer is held until then. */
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong requests = new AtomicLong();
  private final Map<Answer, AtomicLong> answered = new EnumMap<>(Answer.class);
  private final List<String> authorizations = new ArrayList<>();

  private ChaosOpenAiServer(int period, boolean refuseEveryKey) throws IOException {
    this.period = period;
    this.refuseEveryKey = refuseEveryKey;
    for (Answer a : Answer.values()) {
      answered.put(a, new AtomicLong());
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * A server that misbehaves on every {@code period}-th request (every request for 1). A too-slow
   * answer is held until the server closes (at most {@link #LONGEST_HOLD}), so the client's request
   * timeout, not a delay of this server's, decides when the call fails.
   */
  static ChaosOpenAiServer start(int period) throws IOException {
    return new ChaosOpenAiServer(period, false);
  }

  /** A server that refuses every request as if the key were wrong (HTTP 401), echoing it. */
  static ChaosOpenAiServer refusingEveryKey() throws IOException {
    return new ChaosOpenAiServer(1, true);
  }

  /** The base URL an OpenAI client is given. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** How many requests got {@code answer}. */
  long answered(Answer answer) {
    return answered.get(answer).get();
  }

  /** The Authorization headers received, one per request. */
  synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      synchronized (this) {
        authorizations.add(authorization);
      }
      String key = authorization.replaceFirst("^Bearer ", "");
      long n = requests.getAndIncrement();
      Answer answer = refuseEveryKey ? Answer.KEY_REFUSED
          : n % period == period - 1 ? FAULTS.get((int) (n / period % FAULTS.size())) : Answer.HONEST;
      answered.get(answer).incrementAndGet();
      switch (answer) {
        case HONEST -> send(exchange, 200, "application/json", completion(body, "stop", false));
        case RATE_LIMITED -> {
          exchange.getResponseHeaders().add("retry-after-ms", "20");
          send(exchange, 429, "application/json", error("Rate limit reached for requests made with key " + key,
              "rate_limit_exceeded"));
        }
        case SERVER_ERROR -> send(exchange, 500, "application/json",
            error("The server had an error processing the request sent with Authorization: " + authorization,
                "server_error"));
        case HTML_ERROR_PAGE -> send(exchange, 502, "text/html",
            "<html><body><h1>502 Bad Gateway</h1><p>upstream rejected " + key + "</p></body></html>");
        case MALFORMED_BODY -> send(exchange, 200, "application/json", "{\"choices\": [{\"message\": \"" + key);
        case CUT_OFF -> send(exchange, 200, "application/json", completion(body, "length", true));
        case TOO_SLOW -> {
          try {
            // A provider too slow to answer is the fault under test: the answer comes only after
            // the test, when nobody waits for it any more.
            closing.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          send(exchange, 200, "application/json", completion(body, "stop", false));
        }
        case KEY_REFUSED -> send(exchange, 401, "application/json",
            error("Incorrect API key provided: " + key + ". You can find your API key at the dashboard.",
                "invalid_api_key"));
      }
    } catch (IOException e) {
      // The client gave up waiting (a too-slow answer): nobody is left to answer.
    }
  }

  private String completion(byte[] requestBody, String finishReason, boolean cutOff) throws IOException {
    JsonNode request = JSON.readTree(requestBody);
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : request.path("messages")) {
      String content = m.path("content").asText();
      messages.add(switch (m.path("role").asText()) {
        case "system" -> ChatMessage.system(content);
        case "assistant" -> ChatMessage.assistant(content);
        default -> ChatMessage.user(content);
      });
    }
    ChatResponse answer = honest.chat(ChatRequest.of(messages));
    String text = cutOff ? answer.text().substring(0, answer.text().length() / 2) : answer.text();
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-" + requests.get());
    body.put("object", "chat.completion");
    body.put("model", "chaos-gpt");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", finishReason);
    body.putObject("usage").put("prompt_tokens", answer.usage().promptTokens())
        .put("completion_tokens", answer.usage().completionTokens())
        .put("total_tokens", answer.usage().totalTokens());
    return JSON.writeValueAsString(body);
  }

  private static String error(String message, String code) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message).put("type", "error").put("code", code);
    return JSON.writeValueAsString(body);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
