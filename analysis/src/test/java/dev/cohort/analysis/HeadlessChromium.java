package dev.cohort.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a headless Chromium over the DevTools protocol (the JDK's WebSocket client, no extra
 * library): opens a page at a given width, records console errors, uncaught exceptions, failed
 * requests and every request other than the page itself, and takes a full-page screenshot and one of the page's top.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Height of the screenshot of the page's top, in CSS pixels. */
  static final int TOP_HEIGHT = 2_000;
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  /** What a page did while loading. */
  record PageLoad(List<String> consoleErrors, List<String> failedRequests, List<String> otherRequests,
      byte[] screenshot, byte[] top) {}

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch loaded = new CountDownLatch(1);

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The chromium executable on the PATH, if there is one. */
  static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  static HeadlessChromium start(Path executable, Path profile) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            endpoint.complete(m.group(1));
          }
        }
        endpoint.completeExceptionally(new IOException("chromium exited without a DevTools endpoint"));
      } catch (IOException e) {
        endpoint.completeExceptionally(e);
      }
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    String ws;
    try {
      ws = endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("chromium did not start: " + e.getMessage(), e);
    }
    HeadlessChromium[] self = new HeadlessChromium[1];
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(URI.create(ws), new WebSocket.Listener() {
          private final StringBuilder message = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
              String text = message.toString();
              message.setLength(0);
              self[0].receive(text);
            }
            webSocket.request(1);
            return null;
          }
        }).join();
    self[0] = new HeadlessChromium(process, socket);
    return self[0];
  }

  private void receive(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    events.add(message);
    if ("Page.loadEventFired".equals(message.path("method").asText())) {
      loaded.countDown();
    }
  }

  private JsonNode send(String sessionId, String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).join();
    JsonNode answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IOException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  /** Opens {@code page} at {@code width} CSS pixels, waits for its load event, and reports what happened. */
  PageLoad load(URI page, int width) throws Exception {
    String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
        .get("sessionId").asText();
    for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
      send(session, domain + ".enable", Map.of());
    }
    send(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900,
        "deviceScaleFactor", 1, "mobile", false));
    send(session, "Page.navigate", Map.of("url", page.toString()));
    if (!loaded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IOException("the page did not finish loading within " + TIMEOUT);
    }
    JsonNode size = send(session, "Page.getLayoutMetrics", Map.of()).get("cssContentSize");
    int height = (int) Math.min(16_000, Math.ceil(size.get("height").asDouble()));
    send(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
        "deviceScaleFactor", 1, "mobile", false));
    String png = send(session, "Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
    String top = send(session, "Page.captureScreenshot", Map.of("format", "png", "clip", Map.of("x", 0, "y", 0,
        "width", width, "height", Math.min(height, TOP_HEIGHT), "scale", 1))).get("data").asText();

    List<String> consoleErrors = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (JsonNode event : events) {
      JsonNode params = event.path("params");
      switch (event.path("method").asText()) {
        case "Runtime.exceptionThrown" -> consoleErrors.add(params.path("exceptionDetails").toString());
        case "Runtime.consoleAPICalled" -> {
          if (params.path("type").asText().equals("error")) {
            consoleErrors.add(params.path("args").toString());
          }
        }
        case "Log.entryAdded" -> {
          if (params.path("entry").path("level").asText().equals("error")) {
            consoleErrors.add(params.path("entry").path("text").asText());
          }
        }
        case "Network.loadingFailed" -> failed.add(params.path("errorText").asText() + " "
            + params.path("requestId").asText());
        case "Network.requestWillBeSent" -> {
          String url = params.path("request").path("url").asText();
          if (!url.equals(page.toString())) {
            other.add(url);
          }
        }
        default -> { }
      }
    }
    return new PageLoad(consoleErrors, failed, other, Base64.getDecoder().decode(png),
        Base64.getDecoder().decode(top));
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    } catch (RuntimeException ignored) {
      // The browser is stopped below either way.
    }
    // Chromium's helper processes (zygote, renderer, GPU) outlive the browser process for a moment
    // and keep writing to the profile: all of them must have exited before the test deletes it.
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    stop(process.toHandle());
    helpers.forEach(ProcessHandle::destroy);
    helpers.forEach(HeadlessChromium::stop);
  }

  /** Waits up to 10 s for {@code handle} to exit after it was asked to, then kills it. */
  private static void stop(ProcessHandle handle) {
    try {
      handle.onExit().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      handle.destroyForcibly();
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
