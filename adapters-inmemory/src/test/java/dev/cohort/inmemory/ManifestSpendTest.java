package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.export.BatchExporter;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A manifest states what a batch spent (calls, cost, quality flag counts), what its response-cache
 * hits saved, and digests the prompt templates of the batch's own mode.
 */
@Timeout(120)
class ManifestSpendTest {
  /** The same price for every kind of token, so a cost is exactly tokens × price. */
  private static final PriceTable PRICES = PriceTable.builtIn()
      .with(SimulatedLlm.MODEL_NAME, ModelPrice.of(1000, 1000, 1000))
      .with("priced-model", ModelPrice.of(1000, 1000, 1000));
  private static final List<Entity> PEOPLE = List.of(
      Entity.of("e1", "Maya Chen", "Climate scientist"),
      Entity.of("e2", "Tom Becker", "Coal-plant engineer"),
      Entity.of("e3", "Amara Okafor", "Policy adviser"),
      Entity.of("e4", "Luis Ortega", "Farmer"));

  /** Refuses for Maya Chen, gives Tom Becker and Amara Okafor the same answer (as README's flags example). */
  private static final LlmPort FLAGGED = request -> {
    String prompt = String.join("\n", request.messages().stream().map(ChatMessage::content).toList());
    String speaker = PEOPLE.stream().map(Entity::name).filter(prompt::contains).findFirst().orElseThrow();
    String text = switch (speaker) {
      case "Maya Chen" -> "I'm sorry, but I can't continue this conversation.";
      case "Tom Becker", "Amara Okafor" -> "The plant employs four hundred people, and nobody has told them what"
          + " comes after it closes, so of course they are angry at every meeting.";
      default -> "My fields flooded twice this spring; I need the drainage fixed before anyone talks about targets.";
    };
    return ChatResponse.of("{\"turns\":[{\"speaker\":\"" + speaker + "\",\"text\":\"" + text + "\"}]}",
        new TokenUsage(50, 20, 0));
  };

  private final List<Cohort> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Cohort::close);
  }

  private Cohort open(Cohort.Builder builder) {
    Cohort cohort = builder.prices(PRICES).build();
    opened.add(cohort);
    cohort.saveEntities(PEOPLE);
    return cohort;
  }

  private static BatchRequest.Builder request(String context) {
    return BatchRequest.builder().name("manifest").context(context).entityIds("e1", "e2", "e3", "e4")
        .interactionSize(2).numSimulations(4).nTurns(2).simulationRounds(2).seed(11L);
  }

  private static String json(Cohort cohort, String batchId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cohort.export(batchId, ExportFormat.MANIFEST, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aManifestCountsTheBatchsCallsCostAndQualityFlags() {
    Cohort cohort = open(Cohort.builder().llm(FLAGGED).repository(InMemoryRepository.create()));
    Batch batch = cohort.run(BatchRequest.builder().name("flags").context("A town hall about the coal plant")
        .entityIds("e1", "e2", "e3", "e4").interactionSize(1).numSimulations(4).nTurns(1)
        .llm(new LlmOptions("priced-model", null, null)).build());

    Manifest manifest = cohort.manifest(batch.id());

    assertThat(manifest.calls()).isEqualTo(4).isEqualTo(batch.usage().calls());
    assertThat(manifest.costUsd()).as("4 calls of 70 tokens at $1,000 per million").isCloseTo(0.28, within(1e-9))
        .isEqualTo(batch.costUsd());
    assertThat(manifest.flagCounts()).isEqualTo(batch.flagCounts()).containsExactly(
        Map.entry(QualityFlag.REFUSAL, 1L), Map.entry(QualityFlag.DUPLICATE_TRANSCRIPT, 2L));
    assertThat(manifest.cacheSavedCostUsd()).as("no hits, nothing saved").isEqualTo(0.0);
    assertThat(json(cohort, batch.id())).contains("\"calls\":4,", "\"cost_usd\":" + manifest.costUsd(),
        "\"flag_counts\":{\"" + QualityFlag.REFUSAL.wireName() + "\":1,\""
            + QualityFlag.DUPLICATE_TRANSCRIPT.wireName() + "\":2}",
        "\"saved_cost_usd\":0.0");
  }

  @Test
  void cacheHitsReportWhatTheCallsTheyReplacedWouldHaveCost() {
    InMemoryRepository repository = InMemoryRepository.create();
    Cohort cohort = open(Cohort.builder().llm(SimulatedLlm.create()).repository(repository)
        .responseCache(InMemoryResponseCache.create()));
    Batch paid = cohort.run(request("A panel on the price of tea").build());
    Batch cached = cohort.run(request("A panel on the price of tea").build());

    assertThat(paid.usage().calls()).isPositive();
    assertThat(cached.usage().cacheHits()).as("the same request again: every answer from the cache")
        .isEqualTo(paid.usage().calls());
    assertThat(cached.costUsd()).isEqualTo(0.0);
    Manifest manifest = cohort.manifest(cached.id());
    assertThat(manifest.calls()).isZero();
    assertThat(manifest.cacheSavedCostUsd()).as("what the first batch paid for the same answers")
        .isCloseTo(paid.costUsd(), within(1e-9)).isPositive();
    assertThat(cohort.manifest(paid.id()).cacheSavedCostUsd()).as("its own answers saved it nothing")
        .isEqualTo(0.0);
    assertThat(json(cohort, cached.id())).contains("\"saved_cost_usd\":" + manifest.cacheSavedCostUsd());

    ByteArrayOutputStream withoutCache = new ByteArrayOutputStream();
    BatchExporter.of(repository).export(cached.id(), ExportFormat.MANIFEST, withoutCache);
    assertThat(withoutCache.toString(StandardCharsets.UTF_8)).as("hits, but no cache to price them from")
        .contains("\"saved_cost_usd\":null");
  }

  @Test
  void aRoleplayBatchsManifestDigestsTheRoleplayTemplates() {
    Cohort cohort = open(Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create()));
    Batch scripted = cohort.createDetachedBatch(request("A panel on the price of tea").build());
    Batch roleplay = cohort.createDetachedBatch(request("A panel on the price of tea")
        .mode(SimulationMode.ROLEPLAY).build());
    Batch otherRoleplay = cohort.createDetachedBatch(request("A hearing about a new bridge")
        .mode(SimulationMode.ROLEPLAY).build());

    String scriptedTemplates = cohort.manifest(scripted.id()).promptTemplatesSha256();
    String roleplayTemplates = cohort.manifest(roleplay.id()).promptTemplatesSha256();

    assertThat(roleplayTemplates).hasSize(64).isNotEqualTo(scriptedTemplates)
        .as("templates hold placeholders, not the batch's values")
        .isEqualTo(cohort.manifest(otherRoleplay.id()).promptTemplatesSha256());
    assertThat(cohort.manifest(roleplay.id()).systemMessageSha256())
        .isNotEqualTo(cohort.manifest(otherRoleplay.id()).systemMessageSha256());
  }
}
