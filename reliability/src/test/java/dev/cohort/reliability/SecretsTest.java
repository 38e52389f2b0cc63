package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.LlmException;
import dev.cohort.http.CohortServer;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.reliability.ChaosOpenAiServer.Answer;
import dev.cohort.testkit.Entities;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API key, sent to a provider that echoes it in every error it gives, never comes out of
 * Cohort: not in the log (captured from standard error, the model adapter and the retry loop at
 * debug), not in exceptions or their stack traces, not in any {@code toString()}, not in stored
 * errors or the database file, not in exports, not in REST responses. Run with an OpenAI-style
 * key and with an opaque one (Azure-style), through a batch of chaos and a batch refused outright.
 */
class SecretsTest {
  private static final String OPENAI_STYLE = "sk-proj-Rel1abil1tyT3stK3yQx7Zp2Lm9Vb4Nc8Hd5Jf1Gk6Tr3Ws0Ye";
  private static final String OPAQUE = "4f0c9e7ab21d46c58e3f90a7b6d21c5e";

  @TempDir Path dir;

  @ParameterizedTest(name = "key {0}")
  @ValueSource(strings = {OPENAI_STYLE, OPAQUE})
  void theKeyAppearsNowhereAfterABatchAgainstAProviderThatEchoesIt(String key) throws Exception {
    try (Captured log = Captured.stderr();
        ChaosOpenAiServer provider = ChaosOpenAiServer.start(3)) {
      OpenAiChatModel model = model(provider, key);
      List<String> seen = new ArrayList<>();
      Path db = dir.resolve("secrets.db");
      try (JdbcRepository repository = JdbcRepository.sqlite(db);
          Cohort cohort = Cohort.builder().llm(model).repository(repository).maxInFlight(8).maxCallAttempts(3)
              .sleeper(new NoWaitSleeper()).build();
          CohortServer server = CohortServer.builder(cohort).build().start()) {
        cohort.saveEntities(Entities.sample());
        Batch batch = cohort.await(cohort.createBatch(request()).id(), Duration.ofMinutes(2));

        assertThat(batch.status().isTerminal()).isTrue();
        StoredBatch stored = StoredBatch.read(repository, batch.id()).assertSettled();
        for (Simulation s : stored.simulations) {
          seen.add(String.valueOf(s.error()));
          seen.add(s.content());
          seen.add(s.toString());
        }
        seen.add(batch.toString());
        seen.add(model.toString());
        seen.add(model.describe());
        seen.add(cohort.describeModel());
        seen.add(server.toString());
        for (ExportFormat format : ExportFormat.values()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          cohort.export(batch.id(), format, out);
          seen.add(out.toString(StandardCharsets.UTF_8));
        }
        seen.addAll(restAnswers(server, batch.id()));
      }
      seen.add(bytesOf(db));
      seen.add(bytesOf(Path.of(db + "-wal")));
      seen.add(log.text());

      assertThat(provider.authorizations()).as("the key was really sent").contains("Bearer " + key);
      for (Answer fault : List.of(Answer.RATE_LIMITED, Answer.SERVER_ERROR, Answer.HTML_ERROR_PAGE,
          Answer.MALFORMED_BODY, Answer.TOO_SLOW)) {
        assertThat(provider.answered(fault)).as("requests answered %s", fault).isPositive();
      }
      assertThat(log.text()).as("the log saw the provider's errors, the key taken out")
          .contains("HTTP 429", "HTTP 500", "[redacted]");
      assertNoSecret(seen, key);
    }
  }

  @ParameterizedTest(name = "key {0}")
  @ValueSource(strings = {OPENAI_STYLE, OPAQUE})
  void theKeyIsNotInTheStoredReasonOfABatchTheProviderRefuses(String key) throws Exception {
    try (Captured log = Captured.stderr(); ChaosOpenAiServer provider = ChaosOpenAiServer.refusingEveryKey()) {
      OpenAiChatModel model = model(provider, key);
      List<String> seen = new ArrayList<>();
      try (JdbcRepository repository = JdbcRepository.sqlite(dir.resolve("refused.db"));
          Cohort cohort = Cohort.builder().llm(model).repository(repository).sleeper(new NoWaitSleeper()).build()) {
        cohort.saveEntities(Entities.sample());

        Batch batch = cohort.await(cohort.createBatch(request()).id(), Duration.ofMinutes(1));

        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.error()).contains("401", "Incorrect API key provided");
        seen.add(batch.error());
        seen.add(batch.toString());
      }
      seen.add(log.text());
      assertNoSecret(seen, key);
    }
  }

  @Test
  void noExceptionOfTheAdapterCarriesTheKeyInItsMessageCauseOrStackTrace() throws Exception {
    try (Captured log = Captured.stderr(); ChaosOpenAiServer provider = ChaosOpenAiServer.start(1)) {
      OpenAiChatModel model = model(provider, OPENAI_STYLE);
      List<String> seen = new ArrayList<>();
      int failures = 0;
      for (int i = 0; i < 40; i++) {
        try {
          model.chat(ChatRequest.of(List.of(ChatMessage.user("Say hello."))));
        } catch (LlmException e) {
          failures++;
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          seen.add(trace.toString());
          seen.add(e.toString());
        }
      }
      seen.add(log.text());

      assertThat(failures).as("calls that failed").isGreaterThan(20);
      assertNoSecret(seen, OPENAI_STYLE);
    }
  }

  private static OpenAiChatModel model(ChaosOpenAiServer provider, String key) {
    return OpenAiChatModel.builder().baseUrl(provider.baseUrl()).apiKey(key).model("chaos-gpt")
        .requestTimeout(Duration.ofMillis(500)).build();
  }

  /** The whole key, and any twelve characters of it in a row, appear in none of {@code texts}. */
  private static void assertNoSecret(List<String> texts, String key) {
    List<String> fragments = new ArrayList<>();
    for (int i = 0; i + 12 <= key.length(); i++) {
      String fragment = key.substring(i, i + 12);
      if (!fragment.startsWith("sk-proj-")) {
        fragments.add(fragment);
      }
    }
    for (int t = 0; t < texts.size(); t++) {
      String text = texts.get(t);
      for (String fragment : Stream.concat(Stream.of(key), fragments.stream()).toList()) {
        int at = text.indexOf(fragment);
        assertThat(at).as("text %d holds '%s' in: ...%s...", t, fragment,
            at < 0 ? "" : text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 80))).isNegative();
      }
    }
  }

  private static List<String> restAnswers(CohortServer server, String batchId) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> answers = new ArrayList<>();
    for (String path : List.of("/api/batch-simulations", "/api/batch-simulations?include_simulations=true",
        "/api/batch-simulations/" + batchId, "/api/batch-simulations/" + batchId + "/status",
        "/api/batch-simulations/" + batchId + "/export?format=json",
        "/api/batch-simulations/" + batchId + "/export?format=csv",
        "/api/batch-simulations/" + batchId + "/export?format=jsonl",
        "/api/batch-simulations/no-such-batch", "/api/entities", "/api/health")) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      answers.add(response.headers().toString());
      answers.add(response.body());
    }
    return answers;
  }

  private static String bytesOf(Path file) throws java.io.IOException {
    return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : "";
  }

  private static BatchRequest request() {
    return BatchRequest.builder()
        .name("secrets")
        .context("Neighbours plan a street party.")
        .entityIds(Entities.sample().stream().map(e -> e.id()).toList())
        .interactionSize(2)
        .numSimulations(10)
        .nTurns(2)
        .simulationRounds(2)
        .seed(19L)
        .build();
  }

  /** Standard error, captured while it is also written through, until closed. */
  static final class Captured implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private Captured(PrintStream original) {
      this.original = original;
    }

    static Captured stderr() {
      Captured captured = new Captured(System.err);
      OutputStream tee = new OutputStream() {
        @Override
        public void write(int b) {
          captured.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          captured.write(b, off, len);
        }
      };
      System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
      return captured;
    }

    private synchronized void write(byte[] b, int off, int len) {
      buffer.write(b, off, len);
      original.write(b, off, len);
    }

    synchronized String text() {
      return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
