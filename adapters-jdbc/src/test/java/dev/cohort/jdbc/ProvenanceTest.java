package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.batch.Verification;
import dev.cohort.core.port.CacheMode;
import dev.cohort.inmemory.SimulatedLlm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Provenance in every database: a batch's manifest, the digests stored with it, the response cache
 * in the same database, and {@code verify} noticing a transcript or request edited in the store.
 */
class ProvenanceTest {
  private static final BatchRequest REQUEST = BatchRequest.builder()
      .name("Climate Change Discussion")
      .context("A panel discussion about potential solutions to climate change")
      .entityIds("e1", "e2", "e3", "e4")
      .interactionSize(2).numSimulations(6).nTurns(2).simulationRounds(2).seed(11L)
      .build();
  private static final List<Entity> ENTITIES = List.of(
      Entity.of("e1", "Maya Chen", "Climate scientist"),
      Entity.of("e2", "Tom Becker", "Coal-plant engineer"),
      Entity.of("e3", "Amara Okafor", "Policy adviser"),
      Entity.of("e4", "Luis Ortega", "Farmer"));

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"SQLITE_FILE", "H2", "POSTGRESQL"})
  void aSecondRunFromTheSameDatabasesCacheIsReplayedAndItsManifestSaysSo(TestDatabase database) throws Exception {
    String url = database.newUrl(dir);
    SimulatedLlm llm = SimulatedLlm.create();
    try (JdbcRepository repository = database.open(url);
        JdbcResponseCache cache = JdbcResponseCache.of(repository);
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).responseCache(cache)
            .workerId("worker-provenance").build()) {
      cohort.saveEntities(ENTITIES);
      Batch first = cohort.run(REQUEST);
      long callsOfFirstRun = llm.calls();
      Batch second = cohort.run(REQUEST);

      assertThat(first.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(first.usage().cacheHits()).isZero();
      assertThat(second.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(llm.calls()).isEqualTo(callsOfFirstRun);
      assertThat(second.usage().cacheHits()).isEqualTo(6 * 2);
      assertThat(second.usage().totalTokens()).isZero();
      assertThat(contents(cohort, second.id())).isEqualTo(contents(cohort, first.id()));

      Manifest manifest = cohort.manifest(second.id());
      assertThat(manifest.replayed()).isTrue();
      assertThat(cohort.manifest(first.id()).replayed()).isFalse();
      assertThat(manifest.storeKind()).isEqualTo(repository.dialect().folder());
      assertThat(manifest.storeSchemaVersion()).isEqualTo(Migrator.latestVersion());
      assertThat(manifest.workers()).containsExactly("worker-provenance");
      assertThat(manifest.models()).singleElement().satisfies(use -> {
        assertThat(use.model()).isEqualTo(SimulatedLlm.MODEL_NAME);
        assertThat(use.simulations()).isEqualTo(6);
      });
      assertThat(manifest.requestSha256()).isEqualTo(cohort.manifest(first.id()).requestSha256()).hasSize(64);

      Verification verification = cohort.verify(second.id());
      assertThat(verification.unchanged()).isTrue();
      assertThat(verification.requestUnchanged()).isTrue();
      assertThat(verification.entitiesUnchanged()).isTrue();
      assertThat(verification.simulationsChecked()).isEqualTo(6);
      cohort.forEachSimulation(second.id(), s -> {
        assertThat(s.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(s.turns()));
        assertThat(s.finishedBy()).isEqualTo("worker-provenance");
      });
    } finally {
      database.dispose(url);
    }
  }

  @Test
  void verifyNamesTheSimulationWhoseStoredTurnsWereEditedAndAnEditedRequest() throws Exception {
    Path file = dir.resolve("cohort.db");
    String batchId;
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build()) {
      cohort.saveEntities(ENTITIES);
      batchId = cohort.run(REQUEST).id();
      assertThat(cohort.verify(batchId).unchanged()).isTrue();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulation_rounds SET turns = REPLACE(turns, '\"text\":\"',"
          + " '\"text\":\"Edited: ') WHERE round = 2 AND simulation_id = (SELECT id FROM simulations"
          + " WHERE batch_id = ? AND sequence_number = 4)")) {
        ps.setString(1, batchId);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().repository(repository).build()) {
      Verification v = cohort.verify(batchId);
      assertThat(v.unchanged()).isFalse();
      assertThat(v.changedSimulations()).containsExactly(4);
      assertThat(v.requestUnchanged()).isTrue();
      assertThat(v.entitiesUnchanged()).isTrue();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement ps = c.prepareStatement("UPDATE batches SET request = REPLACE(request, 'Climate', 'Weather'),"
            + " entities = REPLACE(entities, 'Farmer', 'Fisher') WHERE id = ?")) {
      ps.setString(1, batchId);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().repository(repository).build()) {
      Verification v = cohort.verify(batchId);
      assertThat(v.requestUnchanged()).isFalse();
      assertThat(v.entitiesUnchanged()).isFalse();
    }
  }

  @Test
  void aReplayMissFailsTheSimulationNamingItsRoundAndCallsNoModel() throws Exception {
    SimulatedLlm llm = SimulatedLlm.create();
    try (JdbcRepository repository = JdbcRepository.sqlite(dir.resolve("replay.db"));
        JdbcResponseCache cache = JdbcResponseCache.sqlite(dir.resolve("cache.db"));
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).responseCache(cache)
            .cacheMode(CacheMode.REPLAY).build()) {
      cohort.saveEntities(ENTITIES);
      Batch batch = cohort.run(REQUEST);
      assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(llm.calls()).isZero();
      List<String> errors = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), s -> errors.add(s.sequenceNumber() + " " + s.error()));
      assertThat(errors).first().asString()
          .startsWith("1 round 1: not in the cache: simulation 1, round 1 has no stored answer");
    }
  }

  private static Map<Integer, String> contents(Cohort cohort, String batchId) {
    Map<Integer, String> out = new TreeMap<>();
    cohort.forEachSimulation(batchId, (Simulation s) -> out.put(s.sequenceNumber(), s.content()));
    return out;
  }
}
