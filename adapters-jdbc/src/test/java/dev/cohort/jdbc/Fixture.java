package dev.cohort.jdbc;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.RoundResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One test's repository on a fresh store, with raw SQL access to the same store and test data. */
final class Fixture implements AutoCloseable {
  static final List<Entity> ENTITIES = List.of(
      new Entity("ada", "Ada", "a mathematician", Map.of("age", 36, "tags", List.of("logic", "engines"))),
      new Entity("bo", "Bo", null, Map.of()),
      new Entity("cy", "Cy", "a farmer", Map.of("nested", Map.of("ok", true))));

  /** When the test batches were created: a fixed instant with microseconds, as every database keeps them. */
  // Milliseconds, the precision every store keeps (see JdbcRepositoryTest for finer input).
  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123Z");

  final TestDatabase database;
  final String url;
  final JdbcRepository repo;

  Fixture(TestDatabase database, String url) {
    this.database = database;
    this.url = url;
    this.repo = database.open(url);
  }

  static Fixture open(TestDatabase database, Path dir) {
    return new Fixture(database, database.newUrl(dir));
  }

  /** A second repository on the same store, as another worker process would have. */
  JdbcRepository another() {
    return database.open(url);
  }

  /** Runs an update in plain SQL beside the repository; returns the update count. */
  int sql(String statement, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** The first column of the first row of a query, as a long. */
  long queryLong(String query, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Stores a batch of {@code n} pending simulations over the test entities; returns it. */
  Batch createBatch(String id, int n) {
    repo.saveEntities(ENTITIES);
    Batch batch = batch(id, n);
    repo.createBatch(batch, simulations(id, n).iterator());
    return batch;
  }

  static Batch batch(String id, int n) {
    BatchRequest request = BatchRequest.builder()
        .name("batch " + id)
        .description("about " + id)
        .context("A town meeting about the new bridge.")
        .entityIds("ada", "bo", "cy")
        .interactionSize(2)
        .numSimulations(n)
        .nTurns(2)
        .simulationRounds(3)
        .metadata(Map.of("study", "bridge", "wave", 2, "weights", List.of(0.5, 1.5)))
        .interactionStyle("debate")
        .language("German")
        .seed(42L)
        .replicates(1)
        .llm(new LlmOptions("gpt-4o-mini", 0.7, 300))
        .build();
    return new Batch(id, BatchStatus.PENDING, request, n, n, ENTITIES, CREATED, null, null, null,
        BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
  }

  static List<Simulation> simulations(String batchId, int n) {
    List<Simulation> out = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      List<String> ids = i % 3 == 0 ? List.of("ada", "cy") : i % 3 == 1 ? List.of("ada", "bo") : List.of("bo", "cy");
      out.add(new Simulation(batchId + "-s" + i, batchId, i, ids, List.of(ids.get(1), ids.get(0)),
          SimulationStatus.PENDING, List.of(), null, 0, TokenUsage.ZERO, null, 6, CREATED, null, null));
    }
    return out;
  }

  /** A round of two turns for a simulation between Ada and Bo. */
  static RoundResult round(int round) {
    return new RoundResult(round, List.of(
        new Turn(round, round * 2 - 1, "ada", "Ada", "is it safe?", "Round " + round + ": the bridge."),
        new Turn(round, round * 2, "bo", "Bo", null, "I agree \"mostly\".")), new TokenUsage(100, 20, 10), "model-x");
  }

  @Override
  public void close() throws SQLException {
    repo.close();
    database.dispose(url);
  }
}
