package dev.cohort.core.internal.provenance;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.ResponseCache;
import dev.cohort.core.port.StoreInfo;
import dev.cohort.core.spend.PriceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds a batch's {@link Manifest} from the store: one streaming pass over its simulations
 * collects the workers and the models and fingerprints the providers returned.
 */
public final class ManifestBuilder {
  /** How every call's seed is chosen (see the simulation engine). */
  static final String SEED_POLICY = "one seed per call, derived from the batch seed, the simulation's sequence number,"
      + " the round and the re-ask";

  private ManifestBuilder() {}

  /**
   * The manifest of {@code batch}, whose simulations {@code store} streams, without the response
   * cache at hand: the cost its cache hits saved is unknown when it had any.
   */
  public static Manifest build(Batch batch, BatchStore store) {
    return build(batch, store, null, PriceTable.builtIn());
  }

  /**
   * The manifest of {@code batch}, whose simulations {@code store} streams; the cost its cache hits
   * saved is priced from the entries {@code cache} holds with {@code prices}.
   */
  public static Manifest build(Batch batch, BatchStore store, @Nullable ResponseCache cache, PriceTable prices) {
    TreeSet<String> workers = new TreeSet<>();
    Map<List<@Nullable String>, Long> models = new LinkedHashMap<>();
    store.forEachSimulation(batch.id(), simulation -> {
      if (simulation.finishedBy() != null) {
        workers.add(simulation.finishedBy());
      }
      if (simulation.model() != null || simulation.systemFingerprint() != null) {
        List<@Nullable String> pair = new ArrayList<>(2);
        pair.add(simulation.model());
        pair.add(simulation.systemFingerprint());
        models.merge(pair, 1L, Long::sum);
      }
    });
    List<Manifest.ModelUse> uses = new ArrayList<>();
    models.forEach((pair, count) -> uses.add(new Manifest.ModelUse(pair.get(0), pair.get(1), count)));
    BatchSeal seal = Seals.of(batch);
    StoreInfo info = store.storeInfo();
    TokenUsage usage = batch.usage();
    return new Manifest(batch.id(), batch.status(), cohortVersion(),
        Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
        System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "") + " ("
            + System.getProperty("os.arch", "") + ")",
        info.kind(), info.schemaVersion(), List.copyOf(workers), batch.request().llm().model(), uses,
        new Manifest.CallSettings(batch.request().llm().temperature(), batch.request().llm().maxTokens(),
            "json_schema", SEED_POLICY, "direct"),
        SimulationEngine.PROMPT_FORMAT_VERSION,
        TurnsDigest.sha256(SimulationEngine.promptTemplates(batch.request().mode())),
        TurnsDigest.sha256(SimulationEngine.systemMessage(batch.request())), batch.request(), seal.requestSha256(),
        seal.entitiesSha256(), batch.createdAt(), batch.startedAt(), batch.finishedAt(), batch.counts(), usage,
        replayed(usage), batch.costUsd(), batch.flagCounts(), CacheSavings.of(batch, cache, prices));
  }

  /** Whether every answer came from the cache: hits, and not one billed token. */
  static boolean replayed(TokenUsage usage) {
    return usage.cacheHits() > 0 && usage.promptTokens() == 0 && usage.completionTokens() == 0;
  }

  /** The version the jar was built as: from its manifest, else its module descriptor. */
  static String cohortVersion() {
    @Nullable String version = Simulation.class.getPackage().getImplementationVersion();
    if (version == null) {
      version = Simulation.class.getModule().getDescriptor() == null ? null
          : Simulation.class.getModule().getDescriptor().rawVersion().orElse(null);
    }
    return Objects.requireNonNullElse(version, "development build");
  }
}
