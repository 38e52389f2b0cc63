package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.export.ExportFormat;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExportRouteTest {
  static TestServer server;
  static ApiClient api;
  static String batchId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    server.saveEntities(4);
    api = server.api;
    batchId = server.createBatch(6);
    server.awaitStatus(batchId, "completed");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void jsonExportIsTheWholeBatchAsOneDocument() throws IOException {
    long before = Instant.now().getEpochSecond();
    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + batchId + "/export?format=json");
    long after = Instant.now().getEpochSecond();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertFileName(response, "json", before, after);
    JsonNode document = ApiClient.JSON.readTree(response.body());
    assertThat(document.get("id").asText()).isEqualTo(batchId);
    assertThat(document.get("simulations")).hasSize(6);
    assertThat(document.get("simulations").get(5).get("sequence_number").asInt()).isEqualTo(6);
    assertThat(document.get("entities").has("entity-id-1")).isTrue();
  }

  @Test
  void exportDefaultsToJson() throws IOException {
    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + batchId + "/export");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ApiClient.JSON.readTree(response.body()).get("simulations")).hasSize(6);
  }

  @Test
  void csvExportParsesWithTheOriginalColumns() throws IOException {
    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + batchId + "/export?format=csv");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
    assertFileName(response, "csv", 0, Long.MAX_VALUE);
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(new String(response.body(), StandardCharsets.UTF_8))).getRecords();
    assertThat(rows).hasSize(6);
    assertThat(rows.get(0).getParser().getHeaderNames()).startsWith("Simulation ID", "Sequence Number",
        "Interaction Type", "Entity IDs", "Entity Names", "Entity Descriptions", "Context", "Content", "Timestamp");
    assertThat(rows.get(0).get("Interaction Type")).isEqualTo("dyadic");
    assertThat(rows.get(0).get("Context")).isEqualTo("A panel discussion");
    assertThat(rows.get(0).get("Content")).isNotBlank();
  }

  @Test
  void jsonLinesExportHasOneSimulationPerLine() throws IOException {
    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + batchId + "/export?format=jsonl");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertFileName(response, "jsonl", 0, Long.MAX_VALUE);
    List<String> lines = new String(response.body(), StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(6);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode simulation = ApiClient.JSON.readTree(lines.get(i));
      assertThat(simulation.get("batch_id").asText()).isEqualTo(batchId);
      assertThat(simulation.get("sequence_number").asInt()).isEqualTo(i + 1);
    }
  }

  @Test
  void exportsAreStreamedChunked() {
    HttpResponse<byte[]> response = api.download("/api/batch-simulations/" + batchId + "/export?format=csv");

    assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    assertThat(response.headers().firstValue("Content-Length")).isEmpty();
  }

  @Test
  void utteranceTableHasOneRowPerTurn() throws IOException {
    HttpResponse<byte[]> response =
        api.download("/api/batch-simulations/" + batchId + "/export?format=utterances_csv");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("batch_simulation_" + batchId + "_utterances_");
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(new String(response.body(), StandardCharsets.UTF_8))).getRecords();
    assertThat(rows).hasSize(6);
  }

  @Test
  void unknownFormatIsRefusedNamingTheFormats() {
    ApiClient.Response response = api.get("/api/batch-simulations/" + batchId + "/export?format=xml");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).startsWith("format: must be one of json, csv, jsonl");
    assertThat(response.header("Content-Disposition")).isNull();
  }

  @Test
  void exportOfAnUnknownBatchIsNotFound() {
    ApiClient.Response response = api.get("/api/batch-simulations/no-such-batch/export?format=csv");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().get("status").asText()).isEqualTo("error");
    assertThat(response.message()).isEqualTo("batch no-such-batch does not exist");
    assertThat(response.header("Content-Disposition")).isNull();
  }

  @Test
  void fileNamesKeepOnlyHarmlessCharacters() {
    assertThat(ExportRoute.fileName("a\"b/../c d", ExportFormat.CSV, 17))
        .isEqualTo("batch_simulation_a_b____c_d_17.csv");
  }

  private static void assertFileName(HttpResponse<byte[]> response, String extension, long from, long to) {
    String disposition = response.headers().firstValue("Content-Disposition").orElseThrow();
    Matcher matcher = Pattern.compile("attachment; filename=\"batch_simulation_" + Pattern.quote(batchId)
        + "_(\\d+)\\." + extension + "\"").matcher(disposition);
    assertThat(matcher.matches()).as(disposition).isTrue();
    assertThat(Long.parseLong(matcher.group(1))).isBetween(from, to);
  }
}
