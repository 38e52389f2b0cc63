package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database goes away under a running batch: PostgreSQL is stopped and started again, a second
 * SQLite writer holds the write lock, the connection limit is reached. The batch pauses and then
 * completes, with every result stored once; a simulation that cannot be saved is never silently
 * lost, and one that fails says why.
 */
class DatabaseFaultTest {
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  /** Slow enough that a batch is still running when a server takes a second or two to stop. */
  private static final Duration SLOW = Duration.ofMillis(80);
  /** Simulations a cohort of these tests runs at once. */
  private static final int IN_FLIGHT = 8;
  /** Running simulations of a SQLite store whose lease has not run out, by the database's clock. */
  private static final String LIVE_LEASES = "SELECT COUNT(*) FROM simulations WHERE status = 'running'"
      + " AND lease_expires_at > strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')";

  @TempDir Path dir;

  @Test
  void aPostgresRestartMidBatchPausesTheBatchWhichThenCompletes() throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      String url = server.freshSchemaUrl("restart-test");
      try (JdbcRepository jdbc = JdbcRepository.builder().url(url).build()) {
        RecordingRepository repository = new RecordingRepository(jdbc);
        try (Cohort cohort = cohort(repository, SLOW)) {
          cohort.saveEntities(Entities.generated(10));
          String batchId = cohort.createBatch(request(120)).id();
          waitForRounds(repository::acceptedRoundsTotal, 30);

          long failedBefore = repository.failedCalls();
          server.stop();
          long roundsAtStop = repository.acceptedRoundsTotal();
          awaitOutageSeen(repository, failedBefore);
          server.restart();

          Batch done = cohort.await(batchId, PATIENCE);
          assertThat(roundsAtStop).as("rounds stored when the server stopped").isLessThan(120 * 3);
          assertThat(repository.failedCalls()).as("store calls that met the outage").isPositive();
          assertSettledWithoutLoss(repository, done, "PostgreSQL was restarted");
        }
      }
    }
  }

  @Test
  void aPostgresOutageWhileWaitingForAnotherWorkersSimulationsDoesNotStallTheBatch() throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      String url = server.freshSchemaUrl("waiting-test");
      try (JdbcRepository jdbc = JdbcRepository.builder().url(url).build()) {
        RecordingRepository repository = new RecordingRepository(jdbc);
        String batchId;
        try (Cohort starter = cohort(repository)) {
          starter.saveEntities(Entities.generated(10));
          batchId = starter.createBatch(request(40)).id();
        }
        // A worker that claims three simulations and dies: nobody can take them before the lease ends.
        Duration ghostLease = Duration.ofSeconds(8);
        assertThat(jdbc.claim(batchId, "ghost", 3, ghostLease)).hasSize(3);

        try (Cohort cohort = cohort(repository)) {
          cohort.resume(batchId);
          waitForRounds(() -> StoredBatch.read(repository, batchId).batch.counts().finished(), 37);
          long failedBefore = repository.failedCalls();
          server.stop();
          awaitOutageSeen(repository, failedBefore);
          server.restart();

          Batch done = cohort.await(batchId, PATIENCE);
          assertThat(repository.failedCalls()).as("store calls that met the outage").isPositive();
          assertSettledWithoutLoss(repository, done, "PostgreSQL was restarted while the batch waited");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"at its start", "while it checks whether it is done"})
  void aStoreOutageSeenByTheBatchCoordinatorDoesNotStallTheBatch(String when) throws Exception {
    RecordingRepository repository = new RecordingRepository(InMemoryRepository.create());
    AtomicInteger failuresLeft = new AtomicInteger(3);
    AtomicInteger coordinatorReads = new AtomicInteger();
    int firstFailingRead = when.equals("at its start") ? 1 : 2;
    // Only the coordinator's reads of the batch fail: it reads once as it starts, then each time
    // it finds nothing left to claim.
    repository.simulateOutage(operation -> operation.equals("findBatch")
        && Thread.currentThread().getName().startsWith("cohort-batch-")
        && coordinatorReads.incrementAndGet() >= firstFailingRead
        && failuresLeft.getAndDecrement() > 0);
    try (Cohort cohort = cohort(repository)) {
      cohort.saveEntities(Entities.generated(10));

      Batch done = cohort.await(cohort.createBatch(request(20)).id(), Duration.ofSeconds(30));

      assertThat(failuresLeft.get()).as("outages left unused").isNotPositive();
      assertSettledWithoutLoss(repository, done, "the store failed the coordinator " + when);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"recordRound", "finish"})
  void aStoreFailureWhileSavingAResultGivesTheSimulationBackToRunAgain(String operation) throws Exception {
    RecordingRepository repository = new RecordingRepository(InMemoryRepository.create());
    AtomicInteger failuresLeft = new AtomicInteger(6);
    repository.simulateOutage(op -> op.equals(operation) && failuresLeft.getAndDecrement() > 0);
    try (Cohort cohort = cohort(repository)) {
      cohort.saveEntities(Entities.generated(10));

      Batch done = cohort.await(cohort.createBatch(request(20)).id(), Duration.ofSeconds(30));

      assertThat(failuresLeft.get()).as("outages left unused").isNotPositive();
      assertSettledWithoutLoss(repository, done, "the store failed to save " + operation);
    }
  }

  @Test
  void aSimulationWhoseResultTheStoreRefusedWaitsAPollIntervalBeforeItIsTriedAgain() {
    RecordingRepository repository = new RecordingRepository(InMemoryRepository.create());
    List<Long> finishCalls = new CopyOnWriteArrayList<>();
    repository.simulateOutage(op -> op.equals("finish") && finishCalls.add(System.nanoTime()) && finishCalls.size() <= 3);
    Duration pollInterval = Duration.ofMillis(200);
    try (Cohort cohort = Cohort.builder().llm(SimulatedLlm.builder().seed(6).build()).repository(repository)
        .maxInFlight(1).pollInterval(pollInterval).build()) {
      cohort.saveEntities(Entities.generated(10));

      Batch done = cohort.await(cohort.createBatch(BatchRequest.builder().name("one simulation")
          .context("A housing co-op votes on a new roof.").entityIds(Entities.generated(3).stream().map(e -> e.id()).toList())
          .interactionSize(3).numSimulations(1).nTurns(2).simulationRounds(1).seed(17L).build()).id(),
          Duration.ofSeconds(30));

      assertSettledWithoutLoss(repository, done, "the store refused three results");
      assertThat(finishCalls).as("writes of the result").hasSize(4);
      // Tried again at once, a simulation whose rounds are all stored uses up its attempts in milliseconds.
      for (int i = 1; i < finishCalls.size(); i++) {
        assertThat(Duration.ofNanos(finishCalls.get(i) - finishCalls.get(i - 1)))
            .as("time between write %d and write %d of the result", i, i + 1).isGreaterThanOrEqualTo(pollInterval);
      }
    }
  }

  @Test
  void aSecondSqliteWriterHoldingTheLockPausesTheBatchWhichThenCompletes() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("busy.db");
    try (JdbcRepository jdbc = JdbcRepository.builder().url(url).build()) {
      RecordingRepository repository = new RecordingRepository(jdbc);
      try (Cohort cohort = cohort(repository)) {
        cohort.saveEntities(Entities.generated(10));
        String batchId = cohort.createBatch(request(60)).id();
        waitForRounds(repository::acceptedRoundsTotal, 30);

        long committed;
        long duringHold;
        long atRelease;
        try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
          s.execute("BEGIN IMMEDIATE");
          // No write can commit now; a reader still sees every one committed before.
          committed = Store.count(url, "SELECT COUNT(*) FROM simulation_rounds");
          // The count of accepted writes follows their commit: wait until those committed before
          // the lock was taken are counted.
          await("the rounds committed before the lock to be counted").atMost(PATIENCE)
              .pollInterval(Duration.ofMillis(5)).until(() -> repository.acceptedRoundsTotal() >= committed);
          duringHold = repository.acceptedRoundsTotal();
          // The outage lasts until the batch is at a standstill, every simulation in flight waiting
          // for the lock, and until every lease it held has run out (the fault under test; no
          // sleep decides how long it lasts). The leases are read on a connection of the test's
          // own: the repository's one SQLite connection is queued behind the waiting writes.
          await("every simulation in flight to wait for the lock, past its lease").atMost(PATIENCE)
              .pollInterval(Duration.ofMillis(5))
              .until(() -> repository.callsUnderway() >= IN_FLIGHT && Store.count(url, LIVE_LEASES) == 0);
          atRelease = repository.acceptedRoundsTotal();
          s.execute("ROLLBACK");
        }

        assertThat(duringHold).as("rounds counted when the lock was taken").isEqualTo(committed);
        assertThat(atRelease).as("rounds stored while another writer held the lock").isEqualTo(duringHold);
        Batch done = cohort.await(batchId, PATIENCE);
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertSettledWithoutLoss(repository, done, "SQLite was busy");
      }
    }
  }

  @Tag("reliability-long")
  @Test
  void aSqliteWriterHoldingTheLockLongerThanTheBusyTimeoutLosesNothing() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("long-busy.db");
    try (JdbcRepository jdbc = JdbcRepository.builder().url(url).build()) {
      RecordingRepository repository = new RecordingRepository(jdbc);
      try (Cohort cohort = cohort(repository)) {
        cohort.saveEntities(Entities.generated(10));
        String batchId = cohort.createBatch(request(60)).id();
        waitForRounds(repository::acceptedRoundsTotal, 30);

        long failedBefore = repository.failedCalls();
        try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
          s.execute("BEGIN IMMEDIATE");
          // Holding the lock longer than the 30 s busy timeout is the fault under test: it is held
          // until a store call has given up waiting for it.
          awaitOutageSeen(repository, failedBefore);
          s.execute("ROLLBACK");
        }

        Batch done = cohort.await(batchId, PATIENCE);
        assertSettledWithoutLoss(repository, done, "SQLite was busy");
      }
    }
  }

  @Test
  void aSingleConnectionServesManySimulationsInFlight() throws Exception {
    String url = PostgresServer.shared().freshSchemaUrl("one-connection");
    try (JdbcRepository jdbc = JdbcRepository.builder().url(url).maxConnections(1).build()) {
      RecordingRepository repository = new RecordingRepository(jdbc);
      try (Cohort cohort = Cohort.builder().llm(SimulatedLlm.builder().seed(2).build()).repository(repository)
          .maxInFlight(32).build()) {
        cohort.saveEntities(Entities.generated(10));

        Batch done = cohort.await(cohort.createBatch(request(100)).id(), PATIENCE);

        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        StoredBatch.read(repository, done.id()).assertSettled().assertEachResultWrittenOnce(repository);
      }
    }
  }

  @Test
  void reachingTheServersConnectionLimitPausesTheBatchWhichThenCompletes() throws Exception {
    PostgresServer server = PostgresServer.shared();
    String role = "limited_" + ProcessHandle.current().pid();
    String adminUrl = server.freshSchemaUrl("admin");
    String schema = adminUrl.replaceAll(".*currentSchema=([^&]+).*", "$1");
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 2");
      s.execute("ALTER SCHEMA " + schema + " OWNER TO " + role);
    }
    String url = adminUrl.replace("user=postgres", "user=" + role);
    // The repository may open ten connections; the server lets this role have two.
    try (JdbcRepository jdbc = JdbcRepository.builder().url(url).maxConnections(10).build()) {
      RecordingRepository repository = new RecordingRepository(jdbc);
      try (Cohort cohort = cohort(repository)) {
        cohort.saveEntities(Entities.generated(10));

        Batch done = cohort.await(cohort.createBatch(request(60)).id(), PATIENCE);

        assertSettledWithoutLoss(repository, done, "the connection limit was reached");
      }
    }
  }

  private static Cohort cohort(RecordingRepository repository) {
    return cohort(repository, Duration.ofMillis(20));
  }

  /** A cohort whose model takes from a quarter of {@code latency} up to {@code latency} per call. */
  private static Cohort cohort(RecordingRepository repository, Duration latency) {
    return Cohort.builder()
        .llm(SimulatedLlm.builder().seed(6).latency(latency.dividedBy(4), latency).build())
        .repository(repository)
        .maxInFlight(IN_FLIGHT)
        .leaseDuration(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .build();
  }

  /**
   * The batch ended; each simulation either completed with its whole transcript, each round stored
   * once, or failed with a stored reason.
   */
  private static void assertSettledWithoutLoss(RecordingRepository repository, Batch done, String fault) {
    assertThat(done.status().isTerminal()).as("batch ended after %s, was %s", fault, done.status()).isTrue();
    StoredBatch stored = StoredBatch.read(repository, done.id()).assertSettled().assertEachResultWrittenOnce(repository);
    assertThat(stored.withStatus(SimulationStatus.FAILED)).extracting(Simulation::error)
        .as("simulations failed after %s", fault).isEmpty();
    assertThat(done.status()).as("after %s", fault).isEqualTo(BatchStatus.COMPLETED);
  }

  private static void waitForRounds(LongSupplier rounds, long atLeast) {
    await("at least " + atLeast + " rounds").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
        .until(() -> rounds.getAsLong() >= atLeast);
  }

  /** Keeps the server down until a store call of the running batch has met the outage. */
  private static void awaitOutageSeen(RecordingRepository repository, long failedBefore) {
    await("a store call to meet the outage").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
        .until(() -> repository.failedCalls() > failedBefore);
  }

  private static BatchRequest request(int simulations) {
    return BatchRequest.builder()
        .name("database faults")
        .context("A housing co-op votes on a new roof.")
        .entityIds(Entities.generated(10).stream().map(e -> e.id()).toList())
        .interactionSize(3)
        .numSimulations(simulations)
        .nTurns(2)
        .simulationRounds(3)
        .seed(17L)
        .build();
  }
}
