package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.CohortException;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.Lease;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's grouped writes: writes that wait together commit together, and each caller still
 * learns its own outcome. Every test holds the connection with one write while the others queue,
 * so that they are known to form one group when it is let go.
 */
class GroupCommitTest {
  private static final int WRITERS = 12;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private String url;
  private Database db;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void open() {
    url = "jdbc:sqlite:" + dir.resolve("group.db");
    DialectSql sql = DialectSql.of(Dialect.SQLITE);
    db = new Database(new UrlConnections(url, new Properties(), sql, 1), sql, url);
    db.write("create the table", c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, runner TEXT)");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    release.countDown();
    threads.shutdownNow();
    db.close();
  }

  @Test
  void writesThatWaitTogetherCommitInOneTransaction() throws Exception {
    List<Future<Boolean>> writes = queueBehindABlockedWrite(id -> c -> insert(c, id));

    for (Future<Boolean> w : writes) {
      assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ids()).containsExactlyInAnyOrderElementsOf(range(1, WRITERS));
    assertThat(runners()).as("the threads that ran the queued writes").hasSize(1);
  }

  @Test
  void aFailingWriteFailsOnlyItsOwnCallerAndLeavesNothingBehind() throws Exception {
    int failing = 5;
    int taken = 0;
    db.write("take a key", c -> insert(c, taken));
    List<Future<Boolean>> writes = queueBehindABlockedWrite(id -> c -> {
      insert(c, id);
      if (id == failing) {
        // A primary key that is already taken (whatever order the writes queued in): the statement
        // fails after this write's first insert.
        insert(c, taken);
      }
      return true;
    });

    for (int i = 0; i < writes.size(); i++) {
      Future<Boolean> w = writes.get(i);
      if (i + 1 == failing) {
        assertThat(w).failsWithin(PATIENCE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause().isInstanceOf(CohortException.class).withMessageContaining("write " + failing);
      } else {
        assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    List<Integer> expected = new ArrayList<>(range(1, WRITERS));
    expected.remove(Integer.valueOf(failing));
    expected.add(taken);
    assertThat(ids()).as("the failing write's own first insert is rolled back").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void writesGroupedWithOneThatEndedTheTransactionAreRunAgainOnTheirOwn() throws Exception {
    int failing = 7;
    List<Future<Boolean>> writes = queueBehindABlockedWrite(id -> c -> {
      insert(c, id);
      if (id == failing) {
        // Ends the group's transaction under it, as SQLite does itself after some errors.
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK");
        }
        throw new SQLException("write " + id + " broke the transaction");
      }
      return true;
    });

    for (int i = 0; i < writes.size(); i++) {
      Future<Boolean> w = writes.get(i);
      if (i + 1 == failing) {
        assertThat(w).failsWithin(PATIENCE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause().isInstanceOf(CohortException.class).withMessageContaining("broke the transaction");
      } else {
        assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    List<Integer> expected = new ArrayList<>(range(1, WRITERS));
    expected.remove(Integer.valueOf(failing));
    assertThat(ids()).as("every other write committed exactly once").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anInterruptOfTheLeadingThreadFailsNoneOfTheWritesItLeads() throws Exception {
    // The thread that held the connection leads the group queued behind it. Interrupting it, as a
    // cancel interrupts a simulation's thread, must not fail the other callers' writes.
    List<Future<Boolean>> writes = new ArrayList<>();
    queueBehind(writes, () -> {
      for (int id = 1; id <= WRITERS; id++) {
        int i = id;
        writes.add(threads.submit(() -> db.write("write " + i, c -> insert(c, i))));
      }
    }, blocker -> blocker.cancel(true));

    for (Future<Boolean> w : writes) {
      assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ids()).containsExactlyInAnyOrderElementsOf(range(1, WRITERS));
  }

  @Test
  void aLostLeaseFailsOnlyItsOwnRoundInAGroup() throws Exception {
    try (JdbcRepository repo = JdbcRepository.builder().url(url).build()) {
      repo.saveEntities(Fixture.ENTITIES);
      repo.createBatch(Fixture.batch("b", WRITERS), Fixture.simulations("b", WRITERS).iterator());
      List<ClaimedSimulation> claimed = repo.claim("b", "w1", WRITERS, Duration.ofMinutes(5));
      assertThat(claimed).hasSize(WRITERS);
      Set<String> lost = Set.of(claimed.get(2).simulation().id(), claimed.get(8).simulation().id());
      db.write("take two leases away", c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET version = version + 1 WHERE id = ?")) {
          for (String id : lost) {
            ps.setString(1, id);
            ps.executeUpdate();
          }
        }
        return null;
      });

      // This database and the repository share SQLite's connection lock (same URL): while this
      // write holds it, the repository's writes queue in its own group writer.
      List<Future<Boolean>> writes = new ArrayList<>();
      queueBehind(writes, () -> claimed.forEach(
          cs -> writes.add(threads.submit(() -> repo.recordRound(cs.lease(), Fixture.round(1))))));

      for (int i = 0; i < WRITERS; i++) {
        Lease lease = claimed.get(i).lease();
        assertThat(writes.get(i).get(30, TimeUnit.SECONDS)).as(lease.simulationId())
            .isEqualTo(!lost.contains(lease.simulationId()));
      }
      Set<String> stored = db.read("read rounds", c -> {
        Set<String> ids = new java.util.HashSet<>();
        try (var rs = c.createStatement().executeQuery("SELECT simulation_id FROM simulation_rounds")) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      });
      assertThat(stored).hasSize(WRITERS - lost.size()).doesNotContainAnyElementsOf(lost);
    }
  }

  /** A write for id {@code id}. */
  private interface WriteFor {
    Database.Work<Boolean> of(int id);
  }

  /**
   * Holds the connection with one write, submits {@link #WRITERS} writes (ids 1 to WRITERS) that
   * queue behind it, and lets it go once all of them wait (the holder waits too, hence more than
   * {@link #WRITERS}).
   */
  private List<Future<Boolean>> queueBehindABlockedWrite(WriteFor write) throws Exception {
    List<Future<Boolean>> writes = new ArrayList<>();
    return queueBehind(writes, () -> {
      for (int id = 1; id <= WRITERS; id++) {
        int i = id;
        writes.add(threads.submit(() -> db.write("write " + i, write.of(i))));
      }
    });
  }

  private List<Future<Boolean>> queueBehind(List<Future<Boolean>> writes, Runnable submit) throws Exception {
    return queueBehind(writes, submit, blocker -> {
      release.countDown();
      try {
        blocker.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the write holding the connection failed", e);
      }
    });
  }

  /** As {@link #queueBehind(List, Runnable)}, letting the holding write go with {@code letGo}. */
  private List<Future<Boolean>> queueBehind(List<Future<Boolean>> writes, Runnable submit,
      java.util.function.Consumer<Future<?>> letGo) throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    Future<?> blocker = threads.submit(() -> db.write("hold the connection", c -> {
      holding.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    submit.run();
    // Not a sleep: waits until every writer is parked (queued, or its leader waiting for the lock).
    await("the writes to queue").atMost(PATIENCE).until(() -> writersWaiting() > WRITERS);
    letGo.accept(blocker);
    return writes;
  }

  private static long writersWaiting() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
        .filter(t -> java.util.Arrays.stream(t.getStackTrace())
            .anyMatch(f -> f.getClassName().equals(GroupCommit.class.getName())))
        .count();
  }

  private static Boolean insert(java.sql.Connection c, int id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, runner) VALUES (?, ?)")) {
      ps.setInt(1, id);
      ps.setString(2, Thread.currentThread().getName());
      ps.executeUpdate();
    }
    return true;
  }

  private List<Integer> ids() {
    return db.read("read ids", c -> {
      List<Integer> ids = new ArrayList<>();
      try (var rs = c.createStatement().executeQuery("SELECT id FROM t")) {
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
      }
      return ids;
    });
  }

  private Set<String> runners() {
    return db.read("read runners", c -> {
      Set<String> runners = ConcurrentHashMap.newKeySet();
      try (var rs = c.createStatement().executeQuery("SELECT runner FROM t")) {
        while (rs.next()) {
          runners.add(rs.getString(1));
        }
      }
      return runners;
    });
  }

  private static List<Integer> range(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }
}
