package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.export.BatchExporter;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.export.ExportOptions;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.RoundResult;
import dev.cohort.testkit.Entities;
import dev.cohort.testkit.TestBatch;
import dev.cohort.testkit.TestBatches;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every export format, parsed back with commons-csv and Jackson, equals what the repository
 * stores, for content that breaks naive writers: quotes, commas, newlines, {@code |}, emoji,
 * non-Latin scripts, missing descriptions and cells a spreadsheet would run as formulas.
 */
class BatchExporterRoundTripTest {
  /** How every export writes a timestamp: always three fractional digits, even .000. */
  private static final DateTimeFormatter MILLISECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ExportOptions EXACT = ExportOptions.builder().neutraliseFormulas(false).build();
  private static final String CONTEXT = "=cmd|' /C calc'!A0 — a \"town hall\", with commas,\nand a second line";

  private static final List<Entity> POOL = List.of(
      Entities.entity("e1", "Ada \"the\" Countess, of Lovelace", "Line one\nline two, with a comma | and a pipe",
          "tags", List.of("math", "🧮"), "born", 1815),
      Entities.entity("e2", "王小明", null),
      Entities.entity("e3", "=HYPERLINK(\"http://evil.example\")", "-starts with a minus", "note", "+1"),
      Entities.entity("e4", "Zoë 🚲 العربية", "@mention at the start"));

  private final InMemoryRepository repository = InMemoryRepository.create();
  private final BatchExporter exporter = BatchExporter.of(repository);
  private TestBatch batch;

  /**
   * Four simulations in four states: completed with tricky turns, failed with a multi-line error,
   * still running after one round, and pending. The batch is left in progress.
   */
  @BeforeEach
  void storeABatchInEveryState() {
    repository.saveEntities(POOL);
    batch = TestBatches.builder("b-tricky").entities(POOL).simulations(4).interactionSize(2).nTurns(3).rounds(2)
        .context(CONTEXT).status(BatchStatus.IN_PROGRESS).build().storeIn(repository);
    List<ClaimedSimulation> claimed = repository.claim(batch.id(), "worker", 4, Duration.ofMinutes(5));
    assertThat(claimed).hasSize(4);

    ClaimedSimulation first = claimed.get(0);
    List<String> order = first.simulation().speakingOrder();
    record(first, 1, List.of(
        new Turn(1, 1, order.get(0), "Ada \"the\" Countess, of Lovelace", "She \"doubts\", quietly",
            "Hello, \"world\" | pipes, and\nnewlines\r\nand CRLF too 🎉"),
        new Turn(1, 2, order.get(1), "王小明", null, "=1+1"),
        new Turn(1, 3, order.get(0), "Ada \"the\" Countess, of Lovelace", "\tan indented thought", "+49 30 1234")));
    record(first, 2, List.of(
        new Turn(2, 4, order.get(1), "王小明", "-- a dashed thought", "@everyone 你好，世界"),
        new Turn(2, 5, order.get(0), "Ada \"the\" Countess, of Lovelace", null, "\rcarriage first"),
        new Turn(2, 6, order.get(1), "王小明", "", "مرحبا بالعالم")));
    repository.recordFlags(first.simulation().id(), List.of(QualityFlag.REPETITION, QualityFlag.LANGUAGE_MISMATCH));
    assertThat(repository.finish(first.lease(), SimulationStatus.COMPLETED, null)).isTrue();

    ClaimedSimulation second = claimed.get(1);
    record(second, 1, TestBatches.round(second.simulation(), 1, 3).turns());
    assertThat(repository.finish(second.lease(), SimulationStatus.FAILED,
        "-the model answered \"no\", twice\nthen stopped")).isTrue();

    ClaimedSimulation third = claimed.get(2);
    record(third, 1, TestBatches.round(third.simulation(), 1, 3).turns());

    assertThat(repository.release(claimed.get(3).lease())).isTrue();
  }

  private void record(ClaimedSimulation claimed, int round, List<Turn> turns) {
    assertThat(repository.recordRound(claimed.lease(),
        new RoundResult(round, turns, new TokenUsage(100L * round, 7L * round, 3, 1), "model-x", 0.0025 * round)))
        .isTrue();
  }

  // ---- JSON ----

  @Test
  void jsonHoldsTheStoredBatchSimulationsAndEntitySnapshot() throws IOException {
    JsonNode doc = MAPPER.readTree(export(ExportFormat.JSON, ExportOptions.defaults()));
    Batch stored = repository.findBatch(batch.id()).orElseThrow();

    assertThat(doc.get("id").asText()).isEqualTo(stored.id());
    assertThat(doc.get("name").asText()).isEqualTo(stored.name());
    assertThat(doc.get("description").asText()).isEqualTo(stored.description());
    assertThat(doc.get("context").asText()).isEqualTo(CONTEXT);
    assertThat(doc.get("status").asText()).isEqualTo("in_progress");
    assertThat(Instant.parse(doc.get("timestamp").asText())).isEqualTo(stored.createdAt());
    assertThat(MAPPER.convertValue(doc.get("metadata"), new TypeReference<Map<String, Object>>() {}))
        .isEqualTo(stored.metadata());
    assertThat(strings(doc.get("entity_ids"))).isEqualTo(stored.request().entityIds());
    assertThat(doc.get("interaction_size").asInt()).isEqualTo(2);
    assertThat(doc.get("n_turns").asInt()).isEqualTo(3);
    assertThat(doc.get("simulation_rounds").asInt()).isEqualTo(2);
    assertThat(doc.get("seed").asLong()).isEqualTo(stored.seed());
    assertThat(doc.get("counts").get("completed").asLong()).isEqualTo(1);
    assertThat(doc.get("counts").get("failed").asLong()).isEqualTo(1);
    assertThat(doc.get("counts").get("running").asLong()).isEqualTo(1);
    assertThat(doc.get("counts").get("pending").asLong()).isEqualTo(1);
    assertThat(doc.get("usage").get("prompt_tokens").asLong()).isEqualTo(stored.usage().promptTokens());
    assertThat(doc.get("usage").get("completion_tokens").asLong()).isEqualTo(stored.usage().completionTokens());
    assertThat(MAPPER.convertValue(doc.get("flag_counts"), new TypeReference<Map<String, Long>>() {}))
        .containsExactly(Map.entry("repetition", 1L), Map.entry("language_mismatch", 1L));

    List<Simulation> sims = storedSimulations();
    JsonNode exported = doc.get("simulations");
    assertThat(exported).hasSize(sims.size());
    for (int i = 0; i < sims.size(); i++) {
      assertSimulation(exported.get(i), sims.get(i));
    }

    JsonNode entities = doc.get("entities");
    assertThat(entities).hasSize(POOL.size());
    for (Entity entity : POOL) {
      JsonNode node = entities.get(entity.id());
      assertThat(node.get("name").asText()).isEqualTo(entity.name());
      assertThat(text(node.get("description"))).isEqualTo(entity.description());
      assertThat(MAPPER.convertValue(node.get("attributes"), new TypeReference<Map<String, Object>>() {}))
          .isEqualTo(entity.attributes());
    }
  }

  @Test
  void jsonKeepsNonAsciiAsUtf8WithoutEscapes() throws IOException {
    String json = new String(export(ExportFormat.JSON, ExportOptions.defaults()), StandardCharsets.UTF_8);

    assertThat(json).contains("王小明", "Zoë 🚲 العربية", "你好，世界", "🎉").doesNotContain("\\u");
  }

  @Test
  void prettyPrintedJsonReadsBackAsTheSameDocument() throws IOException {
    byte[] compact = export(ExportFormat.JSON, ExportOptions.defaults());
    byte[] pretty = export(ExportFormat.JSON, ExportOptions.builder().prettyPrint(true).build());

    assertThat(new String(pretty, StandardCharsets.UTF_8)).contains("\n  \"name\" : ");
    assertThat(MAPPER.readTree(pretty)).isEqualTo(MAPPER.readTree(compact));
  }

  // ---- JSON Lines ----

  @Test
  void jsonLinesHoldOneSelfContainedSimulationPerLine() throws IOException {
    String text = new String(export(ExportFormat.JSONL, ExportOptions.defaults()), StandardCharsets.UTF_8);
    JsonNode fromJson = MAPPER.readTree(export(ExportFormat.JSON, ExportOptions.defaults())).get("simulations");
    List<Simulation> sims = storedSimulations();

    assertThat(text).endsWith("\n");
    String[] lines = text.split("\n", -1);
    assertThat(lines).hasSize(sims.size() + 1);
    assertThat(lines[sims.size()]).isEmpty();
    for (int i = 0; i < sims.size(); i++) {
      JsonNode line = MAPPER.readTree(lines[i]);
      assertSimulation(line, sims.get(i));
      assertThat(line.get("batch_id").asText()).isEqualTo(batch.id());
      assertThat(line).isEqualTo(fromJson.get(i));
    }
  }

  // ---- CSV ----

  @ParameterizedTest(name = "neutraliseFormulas={0}")
  @ValueSource(booleans = {true, false})
  void csvHasOneRowPerSimulationWithTheExactColumns(boolean neutralise) throws IOException {
    ExportOptions options = ExportOptions.builder().neutraliseFormulas(neutralise).build();
    String text = new String(export(ExportFormat.CSV, options), StandardCharsets.UTF_8);
    List<CSVRecord> records = parseCsv(text);
    List<Simulation> sims = storedSimulations();

    assertThat(text).startsWith("Simulation ID,Sequence Number,Interaction Type,Entity IDs,Entity Names,"
        + "Entity Descriptions,Context,Content,Timestamp,Status,Error,Final Turn Number,Speaking Order,"
        + "Prompt Tokens,Completion Tokens,Cost USD,Flags,Model\r\n");
    assertThat(records).hasSize(sims.size());
    for (int i = 0; i < sims.size(); i++) {
      Simulation sim = sims.get(i);
      List<String> expected = List.of(
          sim.id(), Integer.toString(sim.sequenceNumber()), sim.interactionType().wireName(),
          String.join(",", sim.entityIds()), joined(sim, "name"), joined(sim, "description"),
          CONTEXT, sim.content(), MILLISECONDS.format(sim.timestamp()), sim.status().wireName(),
          sim.error() == null ? "" : sim.error(), Integer.toString(sim.finalTurnNumber()),
          String.join(",", sim.speakingOrder()), Long.toString(sim.usage().promptTokens()),
          Long.toString(sim.usage().completionTokens()),
          sim.costUsd() == null ? "" : java.math.BigDecimal.valueOf(sim.costUsd()).toPlainString(),
          String.join(",", sim.flags().stream().map(QualityFlag::wireName).toList()),
          sim.modelName() == null ? "" : sim.modelName());
      assertThat(records.get(i).toList()).as("row %d", i + 1)
          .isEqualTo(neutralise ? expected.stream().map(BatchExporterRoundTripTest::neutralised).toList() : expected);
    }
  }

  @Test
  void formulaLikeCellsGetALeadingQuoteByDefaultAndStayExactWhenTurnedOff() throws IOException {
    List<CSVRecord> safe = parseCsv(new String(export(ExportFormat.CSV, ExportOptions.defaults()), StandardCharsets.UTF_8));
    List<CSVRecord> exact = parseCsv(new String(export(ExportFormat.CSV, EXACT), StandardCharsets.UTF_8));
    // Simulation 3 is entities e3 and e4: a name starting with "=", descriptions with "-" and "@".
    assertThat(safe.get(2).get("Entity Names")).isEqualTo("'=HYPERLINK(\"http://evil.example\")|Zoë 🚲 العربية");
    assertThat(exact.get(2).get("Entity Names")).isEqualTo("=HYPERLINK(\"http://evil.example\")|Zoë 🚲 العربية");
    assertThat(safe.get(2).get("Entity Descriptions")).isEqualTo("'-starts with a minus|@mention at the start");
    assertThat(safe.get(0).get("Context")).isEqualTo("'" + CONTEXT);
    assertThat(exact.get(0).get("Context")).isEqualTo(CONTEXT);
    assertThat(safe.get(1).get("Error")).startsWith("'-the model");
    // Text that starts harmlessly is never touched.
    assertThat(safe.get(0).get("Content")).isEqualTo(exact.get(0).get("Content")).startsWith("Ada");
  }

  @Test
  void csvWithByteOrderMarkStartsWithItAndOtherwiseMatches() throws IOException {
    byte[] with = export(ExportFormat.CSV, ExportOptions.builder().byteOrderMark(true).build());
    byte[] without = export(ExportFormat.CSV, ExportOptions.defaults());

    assertThat(with).startsWith(0xEF, 0xBB, 0xBF);
    assertThat(new String(with, 3, with.length - 3, StandardCharsets.UTF_8))
        .isEqualTo(new String(without, StandardCharsets.UTF_8));
    assertThat(export(ExportFormat.JSON, ExportOptions.builder().byteOrderMark(true).build())).startsWith('{');
  }

  // ---- utterances ----

  @ParameterizedTest(name = "neutraliseFormulas={0}")
  @ValueSource(booleans = {true, false})
  void utteranceCsvHasOneRowPerTurn(boolean neutralise) throws IOException {
    ExportOptions options = ExportOptions.builder().neutraliseFormulas(neutralise).build();
    String text = new String(export(ExportFormat.UTTERANCES_CSV, options), StandardCharsets.UTF_8);
    List<CSVRecord> records = parseCsv(text);
    List<List<String>> expected = new ArrayList<>();
    for (Simulation sim : storedSimulations()) {
      for (Turn turn : sim.turns()) {
        expected.add(List.of(batch.id(), sim.id(), Integer.toString(sim.sequenceNumber()),
            Integer.toString(turn.round()), Integer.toString(turn.turnNumber()), turn.speakerId(),
            turn.speakerName(), turn.thought() == null ? "" : turn.thought(), turn.text()));
      }
    }

    assertThat(text).startsWith("Batch ID,Simulation ID,Sequence Number,Round,Turn,Speaker ID,Speaker Name,Thought,Text\r\n");
    assertThat(expected).hasSize(6 + 3 + 3);
    assertThat(records.stream().map(CSVRecord::toList).toList())
        .isEqualTo(neutralise
            ? expected.stream().map(row -> row.stream().map(BatchExporterRoundTripTest::neutralised).toList()).toList()
            : expected);
  }

  @Test
  void utteranceJsonLinesHoldOneTurnPerLine() throws IOException {
    String text = new String(export(ExportFormat.UTTERANCES_JSONL, ExportOptions.defaults()), StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      lines.add(MAPPER.readTree(line));
    }

    int i = 0;
    for (Simulation sim : storedSimulations()) {
      for (Turn turn : sim.turns()) {
        JsonNode line = lines.get(i++);
        assertThat(line.get("batch_id").asText()).isEqualTo(batch.id());
        assertThat(line.get("simulation_id").asText()).isEqualTo(sim.id());
        assertThat(line.get("sequence_number").asInt()).isEqualTo(sim.sequenceNumber());
        assertThat(line.get("round").asInt()).isEqualTo(turn.round());
        assertThat(line.get("turn").asInt()).isEqualTo(turn.turnNumber());
        assertThat(line.get("speaker_id").asText()).isEqualTo(turn.speakerId());
        assertThat(line.get("speaker_name").asText()).isEqualTo(turn.speakerName());
        assertThat(text(line.get("thought"))).isEqualTo(turn.thought());
        assertThat(line.get("text").asText()).isEqualTo(turn.text());
      }
    }
    assertThat(lines).hasSize(i);
  }

  // ---- entities ----

  @ParameterizedTest(name = "neutraliseFormulas={0}")
  @ValueSource(booleans = {true, false})
  void entityCsvHoldsTheSnapshotWithAttributesAsJson(boolean neutralise) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.exportEntitiesCsv(batch.id(), ExportOptions.builder().neutraliseFormulas(neutralise).build(), out);
    String text = out.toString(StandardCharsets.UTF_8);
    List<CSVRecord> records = parseCsv(text);

    assertThat(text).startsWith("Entity ID,Name,Description,Attributes\r\n");
    assertThat(records).hasSize(POOL.size());
    for (int i = 0; i < POOL.size(); i++) {
      Entity entity = POOL.get(i);
      CSVRecord record = records.get(i);
      assertThat(record.get(0)).isEqualTo(entity.id());
      assertThat(record.get(1)).isEqualTo(neutralise ? neutralised(entity.name()) : entity.name());
      String description = entity.description() == null ? "" : entity.description();
      assertThat(record.get(2)).isEqualTo(neutralise ? neutralised(description) : description);
      assertThat(MAPPER.readValue(record.get(3), new TypeReference<Map<String, Object>>() {}))
          .isEqualTo(entity.attributes());
    }
  }

  @Test
  void entityCsvShowsTheBatchsSnapshotNotTheEntitiesAsChangedLater() throws IOException {
    repository.saveEntities(List.of(Entity.of("e2", "Renamed", "changed after the batch")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.exportEntitiesCsv(batch.id(), out);

    assertThat(parseCsv(out.toString(StandardCharsets.UTF_8)).get(1).toList()).containsExactly("e2", "王小明", "", "{}");
  }

  // ---- edges ----

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void emptyBatchExportsAValidHeaderOnlyFile(ExportFormat format) throws IOException {
    BatchRequest request = BatchRequest.builder().name("Empty").context("Nothing yet").entityIds("e1", "e2")
        .interactionSize(2).numSimulations(1).seed(7L).build();
    repository.createBatch(new Batch("b-empty", BatchStatus.PENDING, request, 0, 0, POOL.subList(0, 2),
        Instant.parse("2026-02-01T00:00:00Z"), null, null, null, BatchCounts.EMPTY, TokenUsage.ZERO, List.of()),
        List.<Simulation>of().iterator());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.export("b-empty", format, out);
    String text = out.toString(StandardCharsets.UTF_8);

    switch (format) {
      case JSON -> {
        JsonNode doc = MAPPER.readTree(text);
        assertThat(doc.get("id").asText()).isEqualTo("b-empty");
        assertThat(doc.get("simulations")).isEmpty();
        assertThat(doc.get("entities")).hasSize(2);
      }
      case CSV -> assertThat(text).isEqualTo("Simulation ID,Sequence Number,Interaction Type,Entity IDs,Entity Names,"
          + "Entity Descriptions,Context,Content,Timestamp,Status,Error,Final Turn Number,Speaking Order,"
          + "Prompt Tokens,Completion Tokens,Cost USD,Flags,Model\r\n");
      case UTTERANCES_CSV -> assertThat(text)
          .isEqualTo("Batch ID,Simulation ID,Sequence Number,Round,Turn,Speaker ID,Speaker Name,Thought,Text\r\n");
      case JSONL, UTTERANCES_JSONL -> assertThat(text).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void unknownBatchIsNotFoundAndWritesNothing(ExportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThatThrownBy(() -> exporter.export("no-such-batch", format, out))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.kind()).isEqualTo("batch");
          assertThat(e.id()).isEqualTo("no-such-batch");
        });
    assertThatThrownBy(() -> exporter.exportEntitiesCsv("no-such-batch", out)).isInstanceOf(NotFoundException.class);
    assertThat(out.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void exportFlushesButNeverClosesTheCallersStream(ExportFormat format) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean[] closed = {false};
    FilterOutputStream out = new FilterOutputStream(bytes) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    exporter.export(batch.id(), format, out);
    out.write('!');

    assertThat(closed[0]).isFalse();
    assertThat(bytes.toByteArray()).isEqualTo(concat(export(format, ExportOptions.defaults()), '!'));
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void failingStreamIsReportedAsUncheckedIOExceptionNamingTheBatch(ExportFormat format) {
    IOException diskFull = new IOException("No space left on device");
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw diskFull;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw diskFull;
      }
    };

    assertThatThrownBy(() -> exporter.export(batch.id(), format, failing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(batch.id()).hasMessageContaining("No space left on device")
        .hasCause(diskFull);
  }

  // ---- helpers ----

  private void assertSimulation(JsonNode node, Simulation sim) {
    assertThat(node.get("id").asText()).isEqualTo(sim.id());
    assertThat(node.get("sequence_number").asInt()).isEqualTo(sim.sequenceNumber());
    assertThat(Instant.parse(node.get("timestamp").asText())).isEqualTo(sim.timestamp());
    assertThat(node.get("interaction_type").asText()).isEqualTo(sim.interactionType().wireName());
    assertThat(strings(node.get("entity_ids"))).isEqualTo(sim.entityIds());
    assertThat(strings(node.get("entity_names")))
        .isEqualTo(sim.entityIds().stream().map(id -> entity(id).name()).toList());
    assertThat(node.get("content").asText()).isEqualTo(sim.content());
    assertThat(node.get("metadata").get("n_turns").asInt()).isEqualTo(3);
    assertThat(node.get("metadata").get("simulation_rounds").asInt()).isEqualTo(2);
    assertThat(node.get("metadata").get("final_turn_number").asInt()).isEqualTo(sim.finalTurnNumber());
    assertThat(node.get("status").asText()).isEqualTo(sim.status().wireName());
    assertThat(text(node.get("error"))).isEqualTo(sim.error());
    assertThat(strings(node.get("speaking_order"))).isEqualTo(sim.speakingOrder());
    assertThat(node.get("usage").get("prompt_tokens").asLong()).isEqualTo(sim.usage().promptTokens());
    assertThat(node.get("usage").get("completion_tokens").asLong()).isEqualTo(sim.usage().completionTokens());
    assertThat(node.get("usage").get("cached_prompt_tokens").asLong()).isEqualTo(sim.usage().cachedTokens());
    assertThat(strings(node.get("flags"))).isEqualTo(sim.flags().stream().map(QualityFlag::wireName).toList());
    List<Turn> turns = new ArrayList<>();
    for (JsonNode t : node.get("turns")) {
      turns.add(new Turn(t.get("round").asInt(), t.get("turn_number").asInt(), t.get("speaker_id").asText(),
          t.get("speaker_name").asText(), text(t.get("thought")), t.get("text").asText()));
    }
    assertThat(turns).isEqualTo(sim.turns());
  }

  private List<Simulation> storedSimulations() {
    List<Simulation> sims = new ArrayList<>();
    repository.forEachSimulation(batch.id(), sims::add);
    assertThat(sims).extracting(Simulation::status).containsExactly(SimulationStatus.COMPLETED,
        SimulationStatus.FAILED, SimulationStatus.RUNNING, SimulationStatus.PENDING);
    assertThat(sims.get(0).flags()).containsExactly(QualityFlag.REPETITION, QualityFlag.LANGUAGE_MISMATCH);
    return sims;
  }

  private byte[] export(ExportFormat format, ExportOptions options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.export(batch.id(), format, options, out);
    return out.toByteArray();
  }

  private static Entity entity(String id) {
    return POOL.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
  }

  private static String joined(Simulation sim, String field) {
    List<String> parts = new ArrayList<>();
    for (String id : sim.entityIds()) {
      Entity e = entity(id);
      String value = field.equals("name") ? e.name() : e.description();
      parts.add(value == null ? "" : value);
    }
    return String.join("|", parts);
  }

  /** The OWASP rule, restated independently of the exporter. */
  private static String neutralised(String cell) {
    return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
  }

  /** The records after the header, each readable by column name. */
  private static List<CSVRecord> parseCsv(String text) throws IOException {
    return CSVFormat.RFC4180.builder().setHeader().get()
        .parse(new StringReader(text)).getRecords();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static @Nullable String text(JsonNode node) {
    return node.isNull() ? null : node.asText();
  }

  private static byte[] concat(byte[] bytes, char last) {
    byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    out[bytes.length] = (byte) last;
    return out;
  }
}
