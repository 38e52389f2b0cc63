package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.CacheMode;
import dev.cohort.core.port.LlmPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.InMemoryResponseCache;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Reproducing a batch" Java example, as it is written there (files in a temp folder). */
class ReadmeReproducingTest {
  @TempDir Path dir;

  @Test
  void aBatchRunWithTheCacheReplaysFromItsExportedEntries() throws Exception {
    LlmPort model = SimulatedLlm.create();
    List<Entity> entities = List.of(Entity.of("e1", "Maya Chen", "Climate scientist"),
        Entity.of("e2", "Tom Becker", "Coal-plant engineer"), Entity.of("e3", "Amara Okafor", "Policy adviser"));
    BatchRequest request = BatchRequest.builder().name("Drought panel").context("A panel on drought")
        .entityIds("e1", "e2", "e3").interactionSize(2).numSimulations(3).nTurns(2).simulationRounds(2).seed(5L)
        .build();
    Path cacheFile = dir.resolve("cache.jsonl.gz");
    List<String> original = new ArrayList<>();

    // README: Reproducing a batch
    try (JdbcRepository repository = JdbcRepository.sqlite(dir.resolve("study.db"));
        JdbcResponseCache cache = JdbcResponseCache.of(repository);
        Cohort cohort = Cohort.builder().llm(model).repository(repository)
            .responseCache(cache)
            .build()) {
      cohort.saveEntities(entities);
      Batch batch = cohort.run(request);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(cacheFile))) {
        cohort.exportCache(batch.id(), out);
      }
      cohort.forEachSimulation(batch.id(), s -> original.add(s.content()));
    }
    try (Cohort replay = Cohort.builder().llm(model).repository(InMemoryRepository.create())
        .responseCache(InMemoryResponseCache.create()).cacheMode(CacheMode.REPLAY).build()) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(cacheFile))) {
        replay.importCache(in);
      }
      replay.saveEntities(entities);
      Batch again = replay.run(request);

      assertThat(again.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(replay.manifest(again.id()).replayed()).isTrue();
      List<String> replayed = new ArrayList<>();
      replay.forEachSimulation(again.id(), s -> replayed.add(s.content()));
      assertThat(replayed).isEqualTo(original);
    }
  }
}
