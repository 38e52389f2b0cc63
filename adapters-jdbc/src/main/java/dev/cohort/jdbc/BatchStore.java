package dev.cohort.jdbc;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.internal.codec.EntityJson;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.RepositoryPort;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code batches} table, and the insertion of a new batch's simulations. Counts and token
 * usage are not stored with the batch: they are summed from its simulations on every read, one
 * grouped query over the {@code (batch_id, status)} index, so they can never drift.
 */
final class BatchStore {
  /** Simulations per multi-row INSERT: 100 rows of 18 values stay below every parameter limit. */
  static final int ROWS_PER_INSERT = 100;
  private static final String SELECT = "SELECT id, status, request, entities, requested_simulations,"
      + " planned_simulations, created_at, started_at, finished_at, error FROM batches";
  private static final int SIMULATION_COLUMNS = 21;
  /**
   * The status a batch row has while {@link #create} is still storing its simulations. It is no
   * {@code BatchStatus}: it never leaves this class, and every read skips rows that have it.
   */
  static final String CREATING = "creating";

  private final Database db;

  BatchStore(Database db) {
    this.db = db;
  }

  /**
   * Stores the batch row in the storage-only status {@value #CREATING}, then the simulations in
   * chunks of {@value RepositoryPort#CREATE_CHUNK}, one transaction each (so a large batch needs
   * neither one huge transaction nor the whole batch in memory, and other writers get their turn
   * between chunks), then publishes the batch by giving it its real status. A failure deletes the
   * unpublished rows; what a crash leaves behind is invisible (every read skips {@value #CREATING})
   * until {@link #deleteUnpublished} removes it.
   */
  void create(Batch batch, Iterator<? extends Simulation> simulations) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(simulations, "simulations");
    String id = batch.id();
    db.write("create batch " + id, c -> {
      if (exists(c, id)) {
        throw new IllegalArgumentException("a batch with id " + id + " already exists");
      }
      insertBatch(c, batch);
      return null;
    });
    try {
      List<Simulation> chunk = new ArrayList<>(RepositoryPort.CREATE_CHUNK);
      while (simulations.hasNext()) {
        chunk.clear();
        while (chunk.size() < RepositoryPort.CREATE_CHUNK && simulations.hasNext()) {
          Simulation s = Objects.requireNonNull(simulations.next(), "simulation");
          if (!s.batchId().equals(id)) {
            throw new IllegalArgumentException(
                "simulation " + s.id() + " belongs to batch " + s.batchId() + ", not " + id);
          }
          chunk.add(s);
        }
        db.write("create batch " + id + ": store the simulations numbered " + chunk.get(0).sequenceNumber()
            + " to " + chunk.get(chunk.size() - 1).sequenceNumber(), c -> {
          insertSimulations(c, chunk);
          insertTurns(c, chunk);
          return null;
        });
      }
      boolean published = db.write("publish batch " + id, c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET status = ? WHERE id = ? AND status = ?")) {
          ps.setString(1, batch.status().wireName());
          ps.setString(2, id);
          ps.setString(3, CREATING);
          return ps.executeUpdate() > 0;
        }
      });
      if (!published) {
        throw new CohortException("could not publish batch " + id + ": it was deleted while being created");
      }
    } catch (RuntimeException | Error e) {
      try {
        db.write("delete the unfinished batch " + id, c -> deleteCreating(c, id));
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Grows a published batch in one transaction: the row's request and totals, then the new
   * simulations in multi-row inserts. The simulations are read into memory first, so a retried
   * transaction (a write conflict) can insert them again.
   */
  void append(String id, BatchRequest request, long requested, long planned, Iterator<? extends Simulation> simulations) {
    Objects.requireNonNull(id, "batchId");
    Objects.requireNonNull(request, "request");
    List<Simulation> added = new ArrayList<>();
    while (simulations.hasNext()) {
      Simulation s = Objects.requireNonNull(simulations.next(), "simulation");
      if (!s.batchId().equals(id)) {
        throw new IllegalArgumentException("simulation " + s.id() + " belongs to batch " + s.batchId() + ", not " + id);
      }
      added.add(s);
    }
    boolean found = db.write("extend batch " + id, c -> {
      if (!isPublished(c, id)) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET request = " + db.sql().json()
          + ", requested_simulations = ?, planned_simulations = ? WHERE id = ?")) {
        ps.setString(1, BatchRequestJson.write(request));
        ps.setLong(2, requested);
        ps.setLong(3, planned);
        ps.setString(4, id);
        ps.executeUpdate();
      }
      for (int from = 0; from < added.size(); from += RepositoryPort.CREATE_CHUNK) {
        insertSimulations(c, added.subList(from, Math.min(added.size(), from + RepositoryPort.CREATE_CHUNK)));
      }
      return true;
    });
    if (!found) {
      throw new NotFoundException("batch", id);
    }
  }

  /** Deletes the unpublished batches created before {@code createdBefore}; returns their ids, oldest first. */
  List<String> deleteUnpublished(Instant createdBefore) {
    Objects.requireNonNull(createdBefore, "createdBefore");
    List<String> ids = db.read("find unpublished batches", c -> {
      List<String> found = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM batches WHERE status = ? AND created_at < ?"
          + " ORDER BY created_at, " + db.sql().binaryOrder("id"))) {
        ps.setString(1, CREATING);
        db.sql().bindInstant(ps, 2, createdBefore);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
      return found;
    });
    List<String> deleted = new ArrayList<>(ids.size());
    for (String id : ids) {
      if (db.write("delete the unfinished batch " + id, c -> deleteCreating(c, id))) {
        deleted.add(id);
      }
    }
    return List.copyOf(deleted);
  }

  private static boolean deleteCreating(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM batches WHERE id = ? AND status = ?")) {
      ps.setString(1, id);
      ps.setString(2, CREATING);
      return ps.executeUpdate() > 0;
    }
  }

  /** Whether the batch exists and is published (not still being created). */
  static boolean isPublished(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM batches WHERE id = ? AND status <> ?")) {
      ps.setString(1, id);
      ps.setString(2, CREATING);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM batches WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void insertBatch(Connection c, Batch b) throws SQLException {
    DialectSql sql = db.sql();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO batches (id, name, description, context, status,"
        + " request, entities, requested_simulations, planned_simulations, created_at, started_at, finished_at,"
        + " error) VALUES (?, ?, ?, ?, ?, " + sql.json() + ", " + sql.json() + ", ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, b.id());
      ps.setString(2, b.name());
      ps.setString(3, b.description());
      ps.setString(4, b.context());
      ps.setString(5, CREATING);
      ps.setString(6, BatchRequestJson.write(b.request()));
      ps.setString(7, EntityJson.writeList(b.entities()));
      ps.setLong(8, b.requestedSimulations());
      ps.setLong(9, b.plannedSimulations());
      sql.bindInstant(ps, 10, b.createdAt());
      sql.bindInstant(ps, 11, b.startedAt());
      sql.bindInstant(ps, 12, b.finishedAt());
      ps.setString(13, b.error());
      ps.executeUpdate();
    }
  }

  /** Inserts with multi-row statements: one round trip per {@value #ROWS_PER_INSERT} simulations. */
  private void insertSimulations(Connection c, List<Simulation> sims) throws SQLException {
    int full = sims.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
    if (full > 0) {
      try (PreparedStatement ps = c.prepareStatement(insertSimulationsSql(ROWS_PER_INSERT))) {
        for (int from = 0; from < full; from += ROWS_PER_INSERT) {
          bindSimulations(ps, sims.subList(from, from + ROWS_PER_INSERT));
          ps.executeUpdate();
        }
      }
    }
    if (full < sims.size()) {
      try (PreparedStatement ps = c.prepareStatement(insertSimulationsSql(sims.size() - full))) {
        bindSimulations(ps, sims.subList(full, sims.size()));
        ps.executeUpdate();
      }
    }
  }

  private String insertSimulationsSql(int rows) {
    String j = db.sql().json();
    String row = "(?, ?, ?, " + j + ", " + j + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return "INSERT INTO simulations (id, batch_id, sequence_number, entity_ids, speaking_order, interaction_type,"
        + " status, error, attempts, prompt_tokens, completion_tokens, cached_tokens, model, final_turn_number,"
        + " content, created_at, started_at, finished_at, calls, cost_usd, planned_model) VALUES "
        + String.join(", ", Collections.nCopies(rows, row));
  }

  private void bindSimulations(PreparedStatement ps, List<Simulation> rows) throws SQLException {
    DialectSql sql = db.sql();
    int i = 0;
    for (Simulation s : rows) {
      ps.setString(++i, s.id());
      ps.setString(++i, s.batchId());
      ps.setInt(++i, s.sequenceNumber());
      ps.setString(++i, JsonText.strings(s.entityIds()));
      ps.setString(++i, JsonText.strings(s.speakingOrder()));
      ps.setString(++i, s.interactionType().wireName());
      ps.setString(++i, s.status().wireName());
      ps.setString(++i, s.error());
      ps.setInt(++i, s.attempts());
      ps.setLong(++i, s.usage().promptTokens());
      ps.setLong(++i, s.usage().completionTokens());
      ps.setLong(++i, s.usage().cachedTokens());
      ps.setString(++i, s.model());
      ps.setInt(++i, s.finalTurnNumber());
      ps.setString(++i, s.turns().isEmpty() ? null : Transcript.render(s.turns()));
      sql.bindInstant(ps, ++i, s.createdAt());
      sql.bindInstant(ps, ++i, s.startedAt());
      sql.bindInstant(ps, ++i, s.finishedAt());
      ps.setLong(++i, s.usage().calls());
      LeaseStore.bindCost(ps, ++i, s.costUsd());
      ps.setString(++i, s.plannedModel());
    }
    if (i != rows.size() * SIMULATION_COLUMNS) {
      throw new IllegalStateException("bound " + i + " values for " + rows.size() + " simulations");
    }
  }

  /** Stores turns that came with the simulations (a copied batch), one round row per round. */
  private void insertTurns(Connection c, List<Simulation> sims) throws SQLException {
    DialectSql sql = db.sql();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO simulation_rounds (simulation_id, round, turns,"
        + " prompt_tokens, completion_tokens, cached_tokens, model, recorded_at) VALUES (?, ?, " + sql.json()
        + ", 0, 0, 0, ?, " + sql.now() + ")")) {
      boolean any = false;
      for (Simulation s : sims) {
        Map<Integer, List<Turn>> rounds = new TreeMap<>();
        for (Turn t : s.turns()) {
          rounds.computeIfAbsent(t.round(), r -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<Integer, List<Turn>> round : rounds.entrySet()) {
          ps.setString(1, s.id());
          ps.setInt(2, round.getKey());
          ps.setString(3, TurnJson.write(round.getValue()));
          ps.setString(4, s.model());
          ps.addBatch();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  Optional<Batch> find(String id) {
    Objects.requireNonNull(id, "batchId");
    return db.read("find batch " + id, c -> {
      List<Batch> found = select(c, " WHERE id = ? AND status <> ?", ps -> {
        ps.setString(1, id);
        ps.setString(2, CREATING);
      });
      return found.isEmpty() ? Optional.<Batch>empty() : Optional.of(found.get(0));
    });
  }

  List<Batch> list(int offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return db.read("list batches", c -> select(c, " WHERE status <> ? ORDER BY created_at DESC, "
        + db.sql().binaryOrder("id") + " DESC LIMIT ? OFFSET ?", ps -> {
          ps.setString(1, CREATING);
          ps.setInt(2, limit);
          ps.setInt(3, offset);
        }));
  }

  List<String> findIds(Set<BatchStatus> statuses) {
    if (statuses.isEmpty()) {
      return List.of();
    }
    List<String> names = statuses.stream().map(BatchStatus::wireName).toList();
    return db.read("find batches by status", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM batches WHERE status IN ("
          + DialectSql.placeholders(names.size()) + ") ORDER BY created_at, " + db.sql().binaryOrder("id"))) {
        for (int i = 0; i < names.size(); i++) {
          ps.setString(i + 1, names.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      return List.copyOf(ids);
    });
  }

  boolean transition(String id, Set<BatchStatus> from, BatchStatus to, @Nullable String error) {
    Objects.requireNonNull(id, "batchId");
    Objects.requireNonNull(to, "to");
    if (from.isEmpty()) {
      return false;
    }
    DialectSql sql = db.sql();
    String set;
    if (to == BatchStatus.IN_PROGRESS) {
      set = "status = ?, started_at = COALESCE(started_at, " + sql.now() + "), finished_at = NULL, error = NULL";
    } else if (to.isTerminal()) {
      set = "status = ?, finished_at = " + sql.now() + ", error = ?";
    } else {
      set = "status = ?";
    }
    List<String> names = from.stream().map(BatchStatus::wireName).toList();
    return db.write("move batch " + id + " to " + to.wireName(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET " + set + " WHERE id = ? AND status IN ("
          + DialectSql.placeholders(names.size()) + ")")) {
        int i = 0;
        ps.setString(++i, to.wireName());
        if (to.isTerminal()) {
          ps.setString(++i, error);
        }
        ps.setString(++i, id);
        for (String name : names) {
          ps.setString(++i, name);
        }
        return ps.executeUpdate() > 0;
      }
    });
  }

  boolean delete(String id) {
    Objects.requireNonNull(id, "batchId");
    return db.write("delete batch " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM batches WHERE id = ? AND status <> ?")) {
        ps.setString(1, id);
        ps.setString(2, CREATING);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<Batch> select(Connection c, String tail, Binder binder) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT + tail)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    Map<String, Totals> totals = totals(c, rows.stream().map(Row::id).toList());
    Map<String, Map<QualityFlag, Long>> flagCounts = FlagColumn.counts(c, rows.stream().map(Row::id).toList());
    List<Batch> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Totals t = totals.getOrDefault(r.id, new Totals());
      out.add(new Batch(r.id, r.status, BatchRequestJson.readStored(r.request), r.requested, r.planned, EntityJson.readList(r.entities),
          r.createdAt, r.startedAt, r.finishedAt, r.error, t.counts, t.usage, List.of(), t.costUsd(),
          flagCounts.getOrDefault(r.id, Map.of())));
    }
    return List.copyOf(out);
  }

  private Row row(ResultSet rs) throws SQLException {
    DialectSql sql = db.sql();
    return new Row(rs.getString(1), BatchStatus.fromWireName(rs.getString(2)), rs.getString(3), rs.getString(4),
        rs.getLong(5), rs.getLong(6), Objects.requireNonNull(sql.instant(rs, 7), "created_at"), sql.instant(rs, 8),
        sql.instant(rs, 9), rs.getString(10));
  }

  private static Map<String, Totals> totals(Connection c, Collection<String> batchIds) throws SQLException {
    Map<String, Totals> out = new HashMap<>();
    List<String> ids = List.copyOf(batchIds);
    for (int from = 0; from < ids.size(); from += EntityStore.IN_LIST_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + EntityStore.IN_LIST_CHUNK));
      try (PreparedStatement ps = c.prepareStatement("SELECT batch_id, status, COUNT(*), SUM(prompt_tokens),"
          + " SUM(completion_tokens), SUM(cached_tokens), SUM(calls), SUM(cost_usd),"
          + " SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END), SUM(cache_hits) FROM simulations WHERE batch_id IN ("
          + DialectSql.placeholders(chunk.size()) + ") GROUP BY batch_id, status")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getString(1), id -> new Totals())
                .add(SimulationStatus.fromWireName(rs.getString(2)), rs.getLong(3),
                    new TokenUsage(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                        rs.getLong(10)), rs.getDouble(8),
                    rs.getLong(9));
          }
        }
      }
    }
    return out;
  }

  private record Row(String id, BatchStatus status, String request, String entities, long requested, long planned,
      Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
      @Nullable String error) {}

  /** Counts and usage summed over a batch's simulations. */
  private static final class Totals {
    long pending;
    long running;
    long completed;
    long failed;
    long cancelled;
    BatchCounts counts = BatchCounts.EMPTY;
    TokenUsage usage = TokenUsage.ZERO;
    double knownCostUsd;
    /** Simulations whose cost is unknown: any makes the batch's cost unknown. */
    long unknownCosts;

    void add(SimulationStatus status, long count, TokenUsage used, double costUsd, long unknown) {
      knownCostUsd += costUsd;
      unknownCosts += unknown;
      switch (status) {
        case PENDING -> pending += count;
        case RUNNING -> running += count;
        case COMPLETED -> completed += count;
        case FAILED -> failed += count;
        case CANCELLED -> cancelled += count;
      }
      counts = new BatchCounts(pending, running, completed, failed, cancelled);
      usage = usage.plus(used);
    }

    @Nullable Double costUsd() {
      return unknownCosts > 0 ? null : knownCostUsd;
    }
  }
}
