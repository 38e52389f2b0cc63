package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.port.ClaimedSimulation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's grouped writes: rounds that wait together go to the server as one statement, and
 * finishes that wait together as one transaction, and each caller still learns its own outcome.
 * Every test holds the first write in a row lock taken beside the repository while the others
 * queue behind it, so that they are known to form one group when the lock is let go.
 */
class PostgresGroupedWritesTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int QUEUED = 6;

  private Fixture fixture;
  private Database db;
  private LeaseStore leases;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private List<ClaimedSimulation> claimed;

  @BeforeEach
  void open() {
    fixture = new Fixture(TestDatabase.POSTGRESQL, TestDatabase.POSTGRESQL.newUrl(null));
    DialectSql sql = DialectSql.of(Dialect.POSTGRESQL);
    db = new Database(new UrlConnections(fixture.url, new Properties(), sql, 4), sql, fixture.url);
    leases = new LeaseStore(db, new SimulationReader(sql));
    fixture.createBatch("b1", QUEUED + 1);
    claimed = fixture.repo.claim("b1", "w1", QUEUED + 1, LEASE, Set.of());
    assertThat(claimed).hasSize(QUEUED + 1);
  }

  @AfterEach
  void close() throws SQLException {
    threads.shutdownNow();
    db.close();
    fixture.close();
  }

  @Test
  void aLostLeaseInAGroupFailsOnlyItsOwnRoundAndTheOthersAreStoredByOneStatement() throws Exception {
    ClaimedSimulation lost = claimed.get(3);
    assertThat(fixture.sql("UPDATE simulations SET lease_owner = 'w2', version = version + 1 WHERE id = ?",
        lost.simulation().id())).isEqualTo(1);

    List<Future<Boolean>> rounds = queueBehindAHeldRound();

    for (int i = 1; i < claimed.size(); i++) {
      boolean expected = claimed.get(i) != lost;
      assertThat(rounds.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as("round of %s", claimed.get(i).simulation().id()).isEqualTo(expected);
    }
    assertThat(rounds.get(0).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(storedRounds()).containsExactlyInAnyOrderElementsOf(
        claimed.stream().filter(c -> c != lost).map(c -> c.simulation().id()).toList());
    assertThat(fixture.queryLong("SELECT prompt_tokens FROM simulations WHERE id = ?", lost.simulation().id()))
        .as("the lost lease's usage").isZero();
    assertThat(fixture.queryLong("SELECT prompt_tokens FROM simulations WHERE id = ?",
        claimed.get(1).simulation().id())).isEqualTo(Fixture.round(1).usage().promptTokens());
    assertThat(transactionsThatStored(claimed.subList(1, claimed.size()))).as("transactions of the queued rounds")
        .isEqualTo(1);
  }

  @Test
  void aRoundStoredBeforeIsAnsweredByWhetherItsLeaseIsHeldInsideAGroup() throws Exception {
    ClaimedSimulation again = claimed.get(2);
    assertThat(leases.recordRound(again.lease(), Fixture.round(1))).isTrue();

    List<Future<Boolean>> rounds = queueBehindAHeldRound();

    for (Future<Boolean> r : rounds) {
      assertThat(r.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(fixture.queryLong("SELECT prompt_tokens FROM simulations WHERE id = ?", again.simulation().id()))
        .as("usage added once").isEqualTo(Fixture.round(1).usage().promptTokens());
    assertThat(fixture.queryLong("SELECT count(*) FROM simulation_rounds")).isEqualTo(claimed.size());
  }

  @Test
  void aGroupWhoseStatementFailsIsWrittenAgainRoundByRoundAndOnlyTheFailingRoundFails() throws Exception {
    String failing = claimed.get(4).simulation().id();
    refuseRows("refuse_round", "INSERT ON simulation_rounds", "NEW.simulation_id = '" + failing + "'");

    List<Future<Boolean>> rounds = queueBehindAHeldRound();

    for (int i = 0; i < claimed.size(); i++) {
      Future<Boolean> r = rounds.get(i);
      if (claimed.get(i).simulation().id().equals(failing)) {
        assertThatThrownBy(() -> r.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .hasCauseInstanceOf(CohortException.class).hasMessageContaining("refused for the test");
      } else {
        assertThat(r.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(storedRounds()).containsExactlyInAnyOrderElementsOf(
        claimed.stream().map(c -> c.simulation().id()).filter(id -> !id.equals(failing)).toList());
    assertThat(fixture.queryLong("SELECT prompt_tokens FROM simulations WHERE id = ?", failing)).isZero();
  }

  @Test
  void aLostLeaseInAGroupOfFinishesFailsOnlyItsOwnFinishAndTheOthersFinishInOneTransaction() throws Exception {
    for (ClaimedSimulation c : claimed) {
      assertThat(leases.recordRound(c.lease(), Fixture.round(1))).isTrue();
    }
    ClaimedSimulation lost = claimed.get(2);
    assertThat(fixture.sql("UPDATE simulations SET lease_owner = 'w2', version = version + 1 WHERE id = ?",
        lost.simulation().id())).isEqualTo(1);

    List<Future<Boolean>> finishes = queueBehindAHeldWrite(c -> () -> leases.finish(c.lease(),
        SimulationStatus.COMPLETED, null, new TokenUsage(1, 2, 0), 0.5, List.of(QualityFlag.values()[0]), null));

    for (int i = 0; i < claimed.size(); i++) {
      assertThat(finishes.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as("finish of %s", claimed.get(i).simulation().id()).isEqualTo(claimed.get(i) != lost);
    }
    for (ClaimedSimulation c : claimed) {
      var stored = fixture.repo.findSimulation(c.simulation().id()).orElseThrow();
      if (c == lost) {
        assertThat(stored.status()).isEqualTo(SimulationStatus.RUNNING);
        assertThat(stored.flags()).isEmpty();
        assertThat(stored.turnsSha256()).isNull();
      } else {
        assertThat(stored.status()).isEqualTo(SimulationStatus.COMPLETED);
        assertThat(stored.flags()).containsExactly(QualityFlag.values()[0]);
        assertThat(stored.turnsSha256()).isEqualTo(TurnsDigest.ofTurns(Fixture.round(1).turns()));
        assertThat(stored.usage().promptTokens()).isEqualTo(Fixture.round(1).usage().promptTokens() + 1);
      }
    }
    assertThat(fixture.queryLong("SELECT count(*) FROM simulations WHERE content = ?",
        Transcript.render(Fixture.round(1).turns()))).as("rendered transcripts stored").isEqualTo(QUEUED);
    assertThat(transactionsThatFinished(claimed.subList(1, claimed.size()).stream().filter(c -> c != lost).toList()))
        .as("transactions of the queued finishes")
        .isEqualTo(1);
  }

  @Test
  void aGroupOfFinishesSomeGivenTheirTurnsStoresEachSimulationsOwnTranscript() throws Exception {
    // Transcripts of one or two rounds, so that a finish given another's turns or rounds would show.
    Map<String, List<Turn>> transcripts = new HashMap<>();
    for (int i = 0; i < claimed.size(); i++) {
      List<Turn> turns = new ArrayList<>();
      for (int round = 1; round <= 1 + i % 2; round++) {
        assertThat(leases.recordRound(claimed.get(i).lease(), Fixture.round(round))).isTrue();
        turns.addAll(Fixture.round(round).turns());
      }
      transcripts.put(claimed.get(i).simulation().id(), List.copyOf(turns));
    }
    // Every third finish holds its turns; the others are read back in the group's one read.
    List<Future<Boolean>> finishes = queueBehindAHeldWrite(c -> () -> leases.finish(c.lease(),
        SimulationStatus.COMPLETED, null, TokenUsage.ZERO, null, List.of(),
        claimed.indexOf(c) % 3 == 0 ? transcripts.get(c.simulation().id()) : null));

    for (Future<Boolean> f : finishes) {
      assertThat(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    for (ClaimedSimulation c : claimed) {
      List<Turn> own = transcripts.get(c.simulation().id());
      assertThat(fixture.queryLong("SELECT count(*) FROM simulations WHERE id = ? AND content = ?",
          c.simulation().id(), Transcript.render(own))).as("transcript of %s", c.simulation().id()).isEqualTo(1);
      assertThat(fixture.repo.findSimulation(c.simulation().id()).orElseThrow().turnsSha256())
          .isEqualTo(TurnsDigest.ofTurns(own));
    }
    assertThat(transactionsThatFinished(claimed.subList(1, claimed.size()))).as("transactions of the queued finishes")
        .isEqualTo(1);
  }

  @Test
  void aGroupOfFinishesWhoseTransactionFailsIsFinishedAgainOneByOneAndOnlyTheFailingOneFails() throws Exception {
    String failing = claimed.get(5).simulation().id();
    refuseRows("refuse_finish", "UPDATE ON simulations", "NEW.id = '" + failing + "' AND NEW.status = 'failed'");

    List<Future<Boolean>> finishes = queueBehindAHeldWrite(c -> () -> leases.finish(c.lease(),
        SimulationStatus.FAILED, "the model gave up", TokenUsage.ZERO, null));

    for (int i = 0; i < claimed.size(); i++) {
      Future<Boolean> f = finishes.get(i);
      if (claimed.get(i).simulation().id().equals(failing)) {
        assertThatThrownBy(() -> f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .hasCauseInstanceOf(CohortException.class).hasMessageContaining("refused for the test");
      } else {
        assertThat(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(fixture.queryLong("SELECT count(*) FROM simulations WHERE status = 'failed'"
        + " AND error = 'the model gave up'")).isEqualTo(QUEUED);
    assertThat(fixture.repo.findSimulation(failing).orElseThrow().status()).isEqualTo(SimulationStatus.RUNNING);
  }

  /**
   * Records round 1 of the first claimed simulation while its row is locked beside the
   * repository, queues round 1 of every other one behind it, then lets the lock go; returns the
   * callers' answers in claim order.
   */
  private List<Future<Boolean>> queueBehindAHeldRound() throws Exception {
    return queueBehindAHeldWrite(c -> () -> leases.recordRound(c.lease(), Fixture.round(1)));
  }

  /**
   * Runs {@code write} for the first claimed simulation while its row is locked beside the
   * repository, queues it for every other one behind it, then lets the lock go; returns the
   * callers' answers in claim order.
   */
  private List<Future<Boolean>> queueBehindAHeldWrite(Function<ClaimedSimulation, Callable<Boolean>> write)
      throws Exception {
    List<Future<Boolean>> rounds = new ArrayList<>();
    try (Connection holder = DriverManager.getConnection(fixture.url)) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM simulations WHERE id = ? FOR UPDATE")) {
        ps.setString(1, claimed.get(0).simulation().id());
        ps.executeQuery().close();
      }
      rounds.add(threads.submit(write.apply(claimed.get(0))));
      await().atMost(PATIENCE).until(() -> waitingOnALock() > 0);
      for (ClaimedSimulation c : claimed.subList(1, claimed.size())) {
        rounds.add(threads.submit(write.apply(c)));
      }
      await().atMost(PATIENCE).until(() -> leases.queuedPostgresWrites() == QUEUED);
      holder.commit();
    }
    return rounds;
  }

  private long waitingOnALock() throws SQLException {
    return fixture.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        + " AND datname = current_database()");
  }

  private List<String> storedRounds() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(fixture.url);
        PreparedStatement ps = c.prepareStatement("SELECT simulation_id FROM simulation_rounds WHERE round = 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /**
   * Makes PostgreSQL refuse, for this test, each row {@code condition} picks: a trigger named
   * {@code name} that raises an exception before {@code event} (such as {@code INSERT ON simulation_rounds}).
   */
  private void refuseRows(String name, String event, String condition) throws SQLException {
    try (Connection c = DriverManager.getConnection(fixture.url); Statement s = c.createStatement()) {
      s.execute("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
          + " IF " + condition + " THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$");
      s.execute("CREATE TRIGGER " + name + " BEFORE " + event + " FOR EACH ROW EXECUTE FUNCTION " + name + "()");
    }
  }

  /** How many transactions last updated the rows of {@code simulations}. */
  private int transactionsThatFinished(List<ClaimedSimulation> simulations) throws SQLException {
    return transactionsThatWrote("SELECT xmin::text FROM simulations WHERE id = ?", simulations);
  }

  /** How many transactions inserted the rounds of {@code simulations} (rows of one statement share an xmin). */
  private int transactionsThatStored(List<ClaimedSimulation> simulations) throws SQLException {
    return transactionsThatWrote("SELECT xmin::text FROM simulation_rounds WHERE simulation_id = ?", simulations);
  }

  /** How many transactions wrote the rows {@code xminQuery} finds for each of {@code simulations}. */
  private int transactionsThatWrote(String xminQuery, List<ClaimedSimulation> simulations) throws SQLException {
    Set<String> xmins = new HashSet<>();
    try (Connection c = DriverManager.getConnection(fixture.url); PreparedStatement ps = c.prepareStatement(xminQuery)) {
      for (ClaimedSimulation s : simulations) {
        ps.setString(1, s.simulation().id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            xmins.add(rs.getString(1));
          }
        }
      }
    }
    return xmins.size();
  }
}
