package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.Lease;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the JDBC repository guarantees beyond the port contract suite, checked in SQL where it
 * matters, on every database.
 */
class JdbcRepositoryTest {
  private static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void storesTheWholeRequestTheEntitySnapshotAndEverySimulationField(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      Batch created = f.createBatch("b1", 5);

      Batch found = f.repo.findBatch("b1").orElseThrow();

      assertThat(found.request()).isEqualTo(created.request());
      assertThat(found.request().metadata()).isEqualTo(created.request().metadata());
      assertThat(found.entities()).isEqualTo(Fixture.ENTITIES);
      assertThat(found.createdAt()).isEqualTo(Fixture.CREATED);
      assertThat(found.status()).isEqualTo(BatchStatus.PENDING);
      assertThat(found.counts().pending()).isEqualTo(5);
      assertThat(found.plannedSimulations()).isEqualTo(5);
      assertThat(f.repo.findSimulation("b1-s3")).contains(Fixture.simulations("b1", 5).get(2));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aBatchWhoseSimulationsCannotAllBeStoredIsNotStoredAtAll(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      List<Simulation> sims = new ArrayList<>(Fixture.simulations("b1", 250));
      Simulation last = sims.get(249);
      // The same sequence number twice violates the schema's unique key after 249 rows went in.
      sims.set(249, new Simulation("b1-dup", "b1", 7, last.entityIds(), last.speakingOrder(), last.status(),
          List.of(), null, 0, TokenUsage.ZERO, null, 6, last.createdAt(), null, null));

      assertThatThrownBy(() -> f.repo.createBatch(Fixture.batch("b1", 250), sims.iterator())).isInstanceOf(CohortException.class)
          .hasMessageContaining("create batch b1");

      assertThat(f.repo.findBatch("b1")).isEmpty();
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulations")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsFromTwoRepositoriesAtOnceNeverShareASimulation(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir); JdbcRepository other = f.another()) {
      f.createBatch("b1", 300);
      List<JdbcRepository> workers = List.of(f.repo, other, f.repo, other);
      ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(workers.size());
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
          JdbcRepository repo = workers.get(w);
          String owner = "worker-" + w;
          done.add(pool.submit(() -> {
            assertThat(start.await(1, TimeUnit.MINUTES)).as("start signal").isTrue();
            List<ClaimedSimulation> page;
            // Bounded: a store that handed out simulations twice would otherwise keep this loop going.
            while (claimed.size() <= 300 && !(page = repo.claim("b1", owner, 7, LEASE)).isEmpty()) {
              page.forEach(c -> claimed.add(c.simulation().id()));
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> d : done) {
          d.get(2, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulations WHERE status = 'running' AND version = 1")).isEqualTo(300);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anExpiredLeaseIsClaimedAgainWithItsRecordedRoundsAndANewVersion(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 3);
      ClaimedSimulation first = f.repo.claim("b1", "crashed", 1, Duration.ZERO).get(0);
      assertThat(f.repo.recordRound(first.lease(), Fixture.round(1))).isTrue();

      List<ClaimedSimulation> again = f.repo.claim("b1", "rescuer", 1, LEASE);

      assertThat(again).hasSize(1);
      ClaimedSimulation second = again.get(0);
      assertThat(second.simulation().id()).isEqualTo(first.simulation().id());
      assertThat(second.lease().version()).isEqualTo(first.lease().version() + 1);
      assertThat(second.simulation().attempts()).isEqualTo(2);
      assertThat(second.lastRecordedRound()).isEqualTo(1);
      assertThat(second.simulation().turns()).isEqualTo(Fixture.round(1).turns());
      assertThat(f.repo.recordRound(first.lease(), Fixture.round(2))).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aWorkerWhoseLeaseWasTakenOverInSqlCanWriteNothing(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 2);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      assertThat(f.repo.recordRound(lease, Fixture.round(1))).isTrue();
      Simulation before = f.repo.findSimulation(lease.simulationId()).orElseThrow();

      // What another worker's claim does to the row once the lease expired: a new version.
      assertThat(f.sql("UPDATE simulations SET version = version + 1 WHERE id = ?", lease.simulationId())).isOne();

      assertThat(f.repo.recordRound(lease, Fixture.round(2))).isFalse();
      assertThat(f.repo.recordRound(lease, Fixture.round(1))).isFalse();
      assertThat(f.repo.finish(lease, SimulationStatus.COMPLETED, null)).isFalse();
      assertThat(f.repo.renew(List.of(lease), LEASE)).containsExactly(lease.simulationId());
      assertThat(f.repo.release(lease)).isFalse();
      Simulation after = f.repo.findSimulation(lease.simulationId()).orElseThrow();
      assertThat(after.turns()).isEqualTo(before.turns());
      assertThat(after.usage()).isEqualTo(before.usage());
      assertThat(after.status()).isEqualTo(SimulationStatus.RUNNING);
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulation_rounds")).isOne();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordingARoundTwiceStoresItAndItsUsageOnce(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 1);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();

      assertThat(f.repo.recordRound(lease, Fixture.round(1))).isTrue();
      assertThat(f.repo.recordRound(lease, Fixture.round(1))).isTrue();
      assertThat(f.repo.recordRound(lease, Fixture.round(2))).isTrue();

      Simulation sim = f.repo.findSimulation(lease.simulationId()).orElseThrow();
      assertThat(sim.usage()).isEqualTo(new TokenUsage(200, 40, 20));
      assertThat(sim.model()).isEqualTo("model-x");
      assertThat(sim.turns()).hasSize(4);
      assertThat(f.repo.findBatch("b1").orElseThrow().usage()).isEqualTo(new TokenUsage(200, 40, 20));
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulation_rounds WHERE simulation_id = ?", lease.simulationId()))
          .isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void finishingStoresTheRenderedTranscriptForSqlReaders(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 1);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      f.repo.recordRound(lease, Fixture.round(1));
      f.repo.recordRound(lease, Fixture.round(2));

      assertThat(f.repo.finish(lease, SimulationStatus.COMPLETED, null)).isTrue();

      Simulation sim = f.repo.findSimulation(lease.simulationId()).orElseThrow();
      assertThat(sim.status()).isEqualTo(SimulationStatus.COMPLETED);
      assertThat(sim.finishedAt()).isNotNull();
      try (Connection c = DriverManager.getConnection(f.url);
          PreparedStatement ps = c.prepareStatement("SELECT content, lease_owner FROM simulations WHERE id = ?")) {
        ps.setString(1, lease.simulationId());
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(Transcript.render(sim.turns())).contains("Ada: *is it safe?*");
          assertThat(rs.getString(2)).isNull();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void timestampsAreKeptToTheMillisecondWhateverPrecisionTheyCameWith(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      Batch b = Fixture.batch("b1", 1);
      f.repo.createBatch(new Batch(b.id(), b.status(), b.request(), 1, 1, b.entities(),
          Instant.parse("2026-01-02T03:04:05.123456789Z"), null, null, null, BatchCounts.EMPTY, TokenUsage.ZERO,
          List.of()), Fixture.simulations("b1", 1).iterator());

      assertThat(f.repo.findBatch("b1").orElseThrow().createdAt()).isEqualTo("2026-01-02T03:04:05.123Z");
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      // Taken from the database's clock, which may have microseconds.
      Instant started = f.repo.findSimulation(lease.simulationId()).orElseThrow().startedAt();
      assertThat(started).isEqualTo(started.truncatedTo(ChronoUnit.MILLIS));

      if (database == TestDatabase.SQLITE_FILE) {
        // A file written before timestamps were kept in milliseconds.
        try (Connection c = DriverManager.getConnection(f.url);
            PreparedStatement ps = c.prepareStatement("UPDATE batches SET created_at = ? WHERE id = 'b1'")) {
          ps.setString(1, "2026-01-02T03:04:05.654321Z");
          ps.executeUpdate();
        }
        assertThat(f.repo.findBatch("b1").orElseThrow().createdAt()).isEqualTo("2026-01-02T03:04:05.654Z");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void deletingABatchCascadesToItsSimulationsAndRounds(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 4);
      f.createBatch("b2", 2);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      f.repo.recordRound(lease, Fixture.round(1));

      assertThat(f.repo.deleteBatch("b1")).isTrue();

      assertThat(f.queryLong("SELECT COUNT(*) FROM simulations")).isEqualTo(2);
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulation_rounds")).isZero();
      assertThat(f.repo.renew(List.of(lease), LEASE)).containsExactly(lease.simulationId());
      assertThat(f.repo.deleteBatch("b1")).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void forEachSimulationStreamsEveryPageInSequenceOrderWithTurns(TestDatabase database) throws Exception {
    int n = SimulationStore.WINDOW * 2 + 37;
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", n);
      List<ClaimedSimulation> some = f.repo.claim("b1", "w1", 3, LEASE);
      for (ClaimedSimulation c : some) {
        f.repo.recordRound(c.lease(), Fixture.round(1));
        f.repo.recordRound(c.lease(), Fixture.round(2));
      }

      List<Simulation> seen = new ArrayList<>();
      f.repo.forEachSimulation("b1", seen::add);

      assertThat(seen).extracting(Simulation::sequenceNumber)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
      assertThat(seen.subList(0, 3)).allSatisfy(s -> assertThat(s.turns()).hasSize(4));
      assertThat(seen.subList(3, n)).allSatisfy(s -> assertThat(s.turns()).isEmpty());
      List<Simulation> none = new ArrayList<>();
      f.repo.forEachSimulation("unknown", none::add);
      assertThat(none).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void cancellingInvalidatesRunningLeasesAndRequeueingKeepsRounds(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 3);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      f.repo.recordRound(lease, Fixture.round(1));

      assertThat(f.repo.cancelUnfinished("b1")).isEqualTo(3);
      assertThat(f.repo.recordRound(lease, Fixture.round(2))).isFalse();
      assertThat(f.repo.requeueCancelled("b1")).isEqualTo(3);
      assertThat(f.repo.finish(lease, SimulationStatus.COMPLETED, null)).isFalse();

      ClaimedSimulation again = f.repo.claim("b1", "w2", 1, LEASE).get(0);
      assertThat(again.simulation().id()).isEqualTo(lease.simulationId());
      assertThat(again.lastRecordedRound()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void migrationsApplyOnceAndAreRecorded(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 1);
      try (JdbcRepository reopened = f.another()) {
        assertThat(reopened.findBatch("b1")).isPresent();
      }
      assertThat(f.queryLong("SELECT COUNT(*) FROM cohort_schema_history")).isEqualTo(Migrator.SCRIPTS.size());
      assertThat(f.queryLong("SELECT MAX(version) FROM cohort_schema_history")).isEqualTo(Migrator.latestVersion());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aVersionTwoDatabaseGainsCostsWithUnknownCostsForWhatItStoredBefore(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 2);
      // Back to the schema of version 2, as a database made before costs were recorded.
      f.sql("DROP TABLE spend_reservations");
      f.sql("ALTER TABLE simulations DROP COLUMN cost_usd");
      f.sql("ALTER TABLE simulations DROP COLUMN calls");
      f.sql("ALTER TABLE batches DROP COLUMN spent_usd");
      f.sql("ALTER TABLE batches DROP COLUMN spent_tokens");
      f.sql("DELETE FROM cohort_schema_history WHERE version = 3");

      try (JdbcRepository upgraded = f.another()) {
        assertThat(f.queryLong("SELECT MAX(version) FROM cohort_schema_history")).isEqualTo(Migrator.latestVersion());
        assertThat(upgraded.findSimulation("b1-s1").orElseThrow().costUsd())
            .as("a cost nobody recorded is unknown, not $0").isNull();
        assertThat(upgraded.findBatch("b1").orElseThrow().costUsd()).isNull();
        assertThat(upgraded.findBatch("b1").orElseThrow().usage().calls()).isZero();
        assertThat(upgraded.spentOn("b1").costUsd()).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aVersionOneDatabaseGainsTheAttemptHistoryAndKeepsItsSimulations(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 2);
      // Back to the schema of version 1, as a database made before retry-failed existed.
      f.sql("ALTER TABLE simulations DROP COLUMN attempt_history");
      f.sql("DELETE FROM cohort_schema_history WHERE version = 2");

      try (JdbcRepository upgraded = f.another()) {
        assertThat(f.queryLong("SELECT MAX(version) FROM cohort_schema_history")).isEqualTo(Migrator.latestVersion());
        assertThat(f.queryLong("SELECT COUNT(*) FROM cohort_schema_history WHERE version = 2")).isEqualTo(1);
        assertThat(upgraded.findSimulation("b1-s1").orElseThrow().attemptHistory()).isEmpty();
        ClaimedSimulation claimed = upgraded.claim("b1", "w1", 1, Duration.ofMinutes(1)).get(0);
        upgraded.finish(claimed.lease(), SimulationStatus.FAILED, "refused");
        assertThat(upgraded.requeueFailed("b1")).isEqualTo(1);
        assertThat(upgraded.findSimulation("b1-s1").orElseThrow().attemptHistory())
            .extracting(FailedAttempt::error).containsExactly("refused");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aDatabaseWithoutQualityFlagsGainsThemAndKeepsItsSimulations(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 2);
      // Back to the schema before version 7, as a database made before quality flags existed.
      f.sql("ALTER TABLE simulations DROP COLUMN flags");
      f.sql("DELETE FROM cohort_schema_history WHERE version = 7"); // V7__quality_flags.sql

      try (JdbcRepository upgraded = f.another()) {
        assertThat(f.queryLong("SELECT MAX(version) FROM cohort_schema_history")).isEqualTo(Migrator.latestVersion());
        assertThat(upgraded.findSimulation("b1-s1").orElseThrow().flags()).isEmpty();
        assertThat(upgraded.findBatch("b1").orElseThrow().flagCounts()).isEmpty();
        upgraded.recordFlags("b1-s2", List.of(QualityFlag.TRUNCATED));
        assertThat(upgraded.findSimulation("b1-s2").orElseThrow().flags()).containsExactly(QualityFlag.TRUNCATED);
        assertThat(upgraded.findBatch("b1").orElseThrow().flagCounts()).containsEntry(QualityFlag.TRUNCATED, 1L);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aMigrationScriptChangedAfterItWasAppliedStopsStartUp(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.sql("UPDATE cohort_schema_history SET checksum = checksum + 1 WHERE version = 1");

      assertThatThrownBy(f::another).isInstanceOf(CohortException.class)
          .hasMessageContaining("V1__init.sql differs from the one applied");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void withMigrateOffTheSchemaIsLeftToTheDba(TestDatabase database) throws Exception {
    String url = database.newUrl(dir);
    try (JdbcRepository repo = JdbcRepository.builder().url(url).migrate(false).build()) {
      assertThatThrownBy(repo::listEntities).isInstanceOf(CohortException.class).hasMessageContaining("list entities");
    } finally {
      database.dispose(url);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"SQLITE_FILE", "H2", "POSTGRESQL"})
  void batchesSurviveClosingTheRepository(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 10);
      Lease lease = f.repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      f.repo.recordRound(lease, Fixture.round(1));
      f.repo.close();

      try (JdbcRepository reopened = f.another()) {
        assertThat(reopened.findBatch("b1").orElseThrow().counts().total()).isEqualTo(10);
        assertThat(reopened.findSimulation(lease.simulationId()).orElseThrow().turns()).hasSize(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void leaseExpiryComesFromTheDatabaseClock(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 2);
      f.repo.claim("b1", "w1", 1, Duration.ofHours(1));

      // Still an hour to go by the database's clock: nothing more to claim but the other one.
      assertThat(f.repo.claim("b1", "w2", 5, LEASE)).hasSize(1);
      f.sql("UPDATE simulations SET lease_expires_at = created_at WHERE lease_owner = 'w1'");
      assertThat(f.repo.claim("b1", "w3", 5, LEASE)).extracting(c -> c.simulation().sequenceNumber())
          .containsExactly(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void entityIdsListInJavaStringOrder(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      List<String> ids = List.of("b", "B", "a-1", "a_1", "a10", "a2", "Z");
      f.repo.saveEntities(ids.stream().map(id -> dev.cohort.core.batch.Entity.of(id, "n" + id, null)).toList());

      assertThat(f.repo.listEntities()).extracting(dev.cohort.core.batch.Entity::id)
          .containsExactlyElementsOf(ids.stream().sorted().toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsIgnoreOtherBatchesAndFinishedSimulations(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.createBatch("b1", 3);
      f.createBatch("b2", 3);
      Lease lease = f.repo.claim("b1", "w1", 1, Duration.ZERO).get(0).lease();
      f.repo.finish(lease, SimulationStatus.FAILED, "model refused");

      Set<String> ids = new HashSet<>();
      f.repo.claim("b1", "w2", 10, LEASE).forEach(c -> ids.add(c.simulation().id()));

      assertThat(ids).containsExactlyInAnyOrder("b1-s2", "b1-s3");
      assertThat(f.repo.findSimulation("b1-s1").orElseThrow().error()).isEqualTo("model refused");
      assertThat(f.repo.findBatch("b2").orElseThrow().counts().pending()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"SQLITE_FILE", "H2", "POSTGRESQL"})
  void worksOnACallersDataSourceAndTellsItsDialectFromTheDriver(TestDatabase database) throws Exception {
    String url = database.newUrl(dir);
    javax.sql.DataSource ds = switch (database) {
      case SQLITE_FILE -> {
        org.sqlite.SQLiteDataSource sqlite = new org.sqlite.SQLiteDataSource();
        sqlite.setUrl(url);
        yield sqlite;
      }
      case H2 -> {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(url);
        yield h2;
      }
      default -> {
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setURL(url);
        yield pg;
      }
    };
    try (JdbcRepository repo = JdbcRepository.builder().dataSource(ds).build()) {
      assertThat(repo.dialect().name()).isEqualTo(database == TestDatabase.SQLITE_FILE ? "SQLITE" : database.name());
      repo.saveEntities(Fixture.ENTITIES);
      repo.createBatch(Fixture.batch("b1", 3), Fixture.simulations("b1", 3).iterator());
      Lease lease = repo.claim("b1", "w1", 1, LEASE).get(0).lease();
      assertThat(repo.recordRound(lease, Fixture.round(1))).isTrue();
    }
    try {
      // The caller's data source is still usable after the repository closed.
      try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM simulation_rounds"); ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isOne();
      }
    } finally {
      database.dispose(url);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aClosedRepositorySaysSo(TestDatabase database) throws Exception {
    try (Fixture f = Fixture.open(database, dir)) {
      f.repo.close();

      assertThatThrownBy(() -> f.repo.findBatch("b1")).isInstanceOf(IllegalStateException.class)
          .hasMessage("the repository is closed");
    }
  }

  @org.junit.jupiter.api.Test
  void theBuilderNamesTheSettingThatIsWrong() {
    assertThatThrownBy(() -> JdbcRepository.builder().url("cohort.db")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url must be a JDBC URL");
    assertThatThrownBy(() -> JdbcRepository.builder().url("jdbc:mysql://localhost/x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot tell the dialect of url");
    assertThatThrownBy(() -> JdbcRepository.builder().url("jdbc:sqlite::memory:")
        .dataSource(new org.sqlite.SQLiteDataSource())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("either a url or a dataSource");
    assertThatThrownBy(() -> JdbcRepository.builder().maxConnections(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections must be at least 1, was 0");
  }

  @org.junit.jupiter.api.Test
  void sqliteFilesAreWrittenAheadSoReadersDoNotBlockTheWorkers() throws Exception {
    try (Fixture f = Fixture.open(TestDatabase.SQLITE_FILE, dir);
        Connection c = DriverManager.getConnection(f.url);
        PreparedStatement ps = c.prepareStatement("PRAGMA journal_mode");
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @org.junit.jupiter.api.Test
  void aPlainSqliteMemoryUrlLivesWhileTheRepositoryIsOpen() {
    try (JdbcRepository repo = JdbcRepository.builder().url("jdbc:sqlite::memory:").build()) {
      repo.saveEntities(Fixture.ENTITIES);
      repo.createBatch(Fixture.batch("b1", 3), Fixture.simulations("b1", 3).iterator());

      assertThat(repo.claim("b1", "w1", 5, LEASE)).hasSize(3);
      assertThat(repo.findBatch("b1").orElseThrow().counts().running()).isEqualTo(3);
    }
  }
}
