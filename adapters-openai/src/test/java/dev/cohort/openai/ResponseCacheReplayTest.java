package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.CacheMode;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.InMemoryResponseCache;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The response cache's promise, against the fake OpenAI server: a 3-round batch of 200
 * simulations is run once with the server; its cache entries are exported; on a fresh store with
 * no server running, the same request replays with byte-identical transcripts and no HTTP request.
 * A changed temperature or entity description misses, and a corrupted entry is never served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheReplayTest {
  private static final String SPEAKERS_LINE = "Speakers, one per turn, in order: ";
  private static final int SIMULATIONS = 200;
  private static final int ROUNDS = 3;

  private String baseUrl;
  private Map<Integer, String> original;
  private Batch first;
  private int requestsOfFirstRun;
  private byte[] exported;
  private long exportedEntries;

  @BeforeAll
  void runOnceWithTheServerAndExportTheCache() throws IOException {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(ResponseCacheReplayTest::answer);
      baseUrl = server.baseUrl();
      InMemoryResponseCache cache = InMemoryResponseCache.create();
      try (Cohort cohort = Cohort.builder().llm(model()).repository(InMemoryRepository.create())
          .responseCache(cache).maxInFlight(16).build()) {
        cohort.saveEntities(people());
        first = cohort.run(request(0.7));
        original = contents(cohort, first.id());
        first = cohort.getBatch(first.id());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
          exportedEntries = cohort.exportCache(first.id(), gzip);
        }
        exported = bytes.toByteArray();
      }
      requestsOfFirstRun = server.requests().size();
    }
  }

  @Test
  void theFirstRunCallsTheServerOncePerRoundAndStoresEveryAnswer() {
    assertThat(first.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(first.counts().completed()).isEqualTo(SIMULATIONS);
    assertThat(requestsOfFirstRun).isEqualTo(SIMULATIONS * ROUNDS);
    assertThat(first.usage().cacheHits()).isZero();
    assertThat(exportedEntries).isEqualTo(SIMULATIONS * ROUNDS);
  }

  @Test
  void replayOnAFreshStoreWithNoServerGivesByteIdenticalTranscripts() throws IOException {
    // The first run's server is stopped: a request would be refused. The counting model sees every
    // call that would reach the adapter (and so the network): there must be none.
    CountingModel counting = new CountingModel(model());
    InMemoryResponseCache cache = InMemoryResponseCache.create();
    try (Cohort cohort = Cohort.builder().llm(counting).repository(InMemoryRepository.create())
        .responseCache(cache).cacheMode(CacheMode.REPLAY).maxInFlight(16).maxCallAttempts(1).build()) {
      assertThat(cohort.importCache(gunzip(exported))).isEqualTo(SIMULATIONS * ROUNDS);
      cohort.saveEntities(people());
      Batch replayed = cohort.run(request(0.7));

      assertThat(replayed.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(contents(cohort, replayed.id())).isEqualTo(original);
      assertThat(counting.calls.get()).isZero();
      assertThat(replayed.usage().cacheHits()).isEqualTo(SIMULATIONS * ROUNDS);
      assertThat(replayed.usage().totalTokens()).isZero();
      Manifest manifest = cohort.manifest(replayed.id());
      assertThat(manifest.replayed()).isTrue();
      assertThat(manifest.calls()).isZero();
      assertThat(manifest.cacheSavedCostUsd()).as("what the first run paid for the answers it replayed")
          .isCloseTo(first.costUsd(), within(1e-12)).isPositive();
      assertThat(manifest.models()).singleElement().satisfies(use -> {
        assertThat(use.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(use.systemFingerprint()).isEqualTo("fp_06737a9306");
        assertThat(use.simulations()).isEqualTo(SIMULATIONS);
      });
      assertThat(cohort.verify(replayed.id()).unchanged()).isTrue();
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      cohort.export(replayed.id(), ExportFormat.MANIFEST, json);
      assertThat(json.toString(StandardCharsets.UTF_8)).contains("\"replayed\":true", "\"hits\":600");
    }
  }

  @Test
  void aChangedTemperatureMissesEveryEntry() throws IOException {
    try (Cohort cohort = replaying(imported())) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(request(0.2));
      assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(batch.usage().cacheHits()).isZero();
      List<String> errors = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), s -> errors.add(s.error()));
      assertThat(errors).hasSize(SIMULATIONS).allSatisfy(error ->
          assertThat(error).startsWith("round 1: not in the cache: simulation ").contains("round 1 has no stored answer"));
    }
  }

  @Test
  void aChangedEntityDescriptionMissesTheSimulationsItTakesPartIn() throws IOException {
    try (Cohort cohort = replaying(imported())) {
      List<Entity> people = new ArrayList<>(people());
      people.set(0, Entity.of("p01", "Person 1", "Test person 1, now a sailor."));
      cohort.saveEntities(people);
      Batch batch = cohort.run(request(0.7));

      assertThat(batch.status()).isEqualTo(BatchStatus.PARTIAL);
      Map<Integer, String> now = contents(cohort, batch.id());
      cohort.forEachSimulation(batch.id(), s -> {
        if (s.entityIds().contains("p01")) {
          assertThat(s.status()).isEqualTo(SimulationStatus.FAILED);
          assertThat(s.error()).contains("not in the cache");
        } else {
          assertThat(s.status()).isEqualTo(SimulationStatus.COMPLETED);
          assertThat(now.get(s.sequenceNumber())).isEqualTo(original.get(s.sequenceNumber()));
        }
      });
      assertThat(batch.counts().failed()).isPositive();
    }
  }

  @Test
  void aCorruptedEntryIsIgnoredAndAskedForAgainInReadWriteMode() throws IOException {
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      server.otherwise(ResponseCacheReplayTest::answer);
      InMemoryResponseCache cache = InMemoryResponseCache.create();
      BatchRequest small = request(0.7).toBuilder().numSimulations(5).build();
      try (Cohort cohort = Cohort.builder().llm(model(server.baseUrl())).repository(InMemoryRepository.create())
          .responseCache(cache).maxInFlight(4).build()) {
        cohort.saveEntities(people());
        Batch before = cohort.run(small);
        assertThat(server.requests()).hasSize(5 * ROUNDS);
        List<CacheEntry> used = new ArrayList<>();
        cache.forEachUsedBy(before.id(), used::add);
        CacheEntry target = used.get(7);
        cache.put(tampered(target, target.text().replace("remarks", "REMARKS")));

        Batch again = cohort.run(small);

        // Only the corrupted entry was asked for again; the fresh answer replaced it.
        assertThat(server.requests()).hasSize(5 * ROUNDS + 1);
        assertThat(again.usage().cacheHits()).isEqualTo(5 * ROUNDS - 1);
        assertThat(contents(cohort, again.id())).isEqualTo(contents(cohort, before.id()));
        assertThat(contents(cohort, again.id()).values()).noneMatch(c -> c.contains("REMARKS"));
        assertThat(cache.find(target.key()).orElseThrow().isIntact()).isTrue();
        assertThat(cache.find(target.key()).orElseThrow().text()).isEqualTo(target.text());
      }
    }
  }

  @Test
  void aCorruptedEntryFailsItsSimulationInReplayMode() throws IOException {
    InMemoryResponseCache cache = imported();
    CacheEntry target = cache.find(exportedKey(123)).orElseThrow();
    cache.put(tampered(target, target.text() + " "));
    try (Cohort cohort = replaying(cache)) {
      cohort.saveEntities(people());
      Batch batch = cohort.run(request(0.7));
      assertThat(batch.counts().failed()).isEqualTo(1);
      assertThat(batch.counts().completed()).isEqualTo(SIMULATIONS - 1);
      List<String> errors = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), s -> {
        if (s.error() != null) {
          errors.add(s.error());
        }
      });
      assertThat(errors).singleElement().asString().contains("not in the cache: simulation ");
    }
  }

  // ---- helpers ----

  /** The key of the exported file's entry at {@code index} (0-based line number). */
  private String exportedKey(int index) throws IOException {
    String line = new String(gunzip(exported).readAllBytes(), StandardCharsets.UTF_8).split("\n")[index];
    return FakeOpenAiServer.JSON.readTree(line).path("key").asText();
  }

  /** {@code entry} with another text but its old seal, as a corrupted file or an edited row would hold it. */
  private static CacheEntry tampered(CacheEntry entry, String text) {
    return new CacheEntry(entry.key(), text, entry.finishReason(), entry.model(), entry.systemFingerprint(),
        entry.promptTokens(), entry.completionTokens(), entry.createdAt(), entry.sha256());
  }

  /** An adapter that counts the calls reaching it; its endpoint and signature are the real model's. */
  private static final class CountingModel implements LlmPort {
    final AtomicInteger calls = new AtomicInteger();
    private final LlmPort delegate;

    CountingModel(LlmPort delegate) {
      this.delegate = delegate;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      return delegate.chat(request);
    }

    @Override
    public String endpoint() {
      return delegate.endpoint();
    }

    @Override
    public String requestSignature(ChatRequest request) {
      return delegate.requestSignature(request);
    }
  }

  private InMemoryResponseCache imported() throws IOException {
    InMemoryResponseCache cache = InMemoryResponseCache.create();
    try (Cohort cohort = Cohort.builder().repository(InMemoryRepository.create()).responseCache(cache).build()) {
      cohort.importCache(gunzip(exported));
    }
    return cache;
  }

  private Cohort replaying(InMemoryResponseCache cache) {
    return Cohort.builder().llm(model()).repository(InMemoryRepository.create()).responseCache(cache)
        .cacheMode(CacheMode.REPLAY).maxInFlight(16).maxCallAttempts(1).build();
  }

  private OpenAiChatModel model() {
    return model(baseUrl);
  }

  private static OpenAiChatModel model(String url) {
    return OpenAiChatModel.builder().baseUrl(url).apiKey("sk-test-0000111122223333").build();
  }

  private static ByteArrayInputStream gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return new ByteArrayInputStream(in.readAllBytes());
    }
  }

  private static Map<Integer, String> contents(Cohort cohort, String batchId) {
    Map<Integer, String> out = new TreeMap<>();
    cohort.forEachSimulation(batchId, s -> out.put(s.sequenceNumber(), s.content()));
    return out;
  }

  private static List<Entity> people() {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      people.add(Entity.of(String.format("p%02d", i), "Person " + i, "Test person " + i + "."));
    }
    return people;
  }

  private static BatchRequest request(double temperature) {
    return BatchRequest.builder()
        .name("replay test")
        .context("A town meeting about a new bridge.")
        .entityIds(people().stream().map(Entity::id).collect(Collectors.toList()))
        .interactionSize(3)
        .numSimulations(SIMULATIONS)
        .nTurns(3)
        .simulationRounds(ROUNDS)
        .seed(20_261_130L)
        .llm(new LlmOptions(null, temperature, null))
        .build();
  }

  /** A well-formed answer naming the speakers asked for, determined by the request alone. */
  private static Reply answer(Recorded request) {
    JsonNode body = request.json();
    String speakers = "[]";
    for (JsonNode message : body.path("messages")) {
      String content = message.path("content").asText();
      int at = content.indexOf(SPEAKERS_LINE);
      if (at >= 0) {
        int end = content.indexOf('\n', at);
        speakers = content.substring(at + SPEAKERS_LINE.length(), end < 0 ? content.length() : end);
      }
    }
    ObjectNode root = FakeOpenAiServer.JSON.createObjectNode();
    ArrayNode turns = root.putArray("turns");
    int turn = 0;
    for (JsonNode name : OpenAiChatModelTest.json(speakers)) {
      turn++;
      turns.addObject()
          .put("speaker", name.asText())
          .put("thought", "thinking of seed " + body.path("seed").asLong())
          .put("text", name.asText() + " remarks on the bridge (seed " + body.path("seed").asLong() + ", turn " + turn
              + ").");
    }
    return Reply.completion(root.toString(), "stop", 400, 60, 0);
  }
}
