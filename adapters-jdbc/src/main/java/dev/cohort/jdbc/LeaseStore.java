package dev.cohort.jdbc;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.codec.AttemptHistoryJson;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.internal.codec.FlagsText;
import dev.cohort.core.internal.codec.OutcomeJson;
import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.TurnResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Claims and the writes made under a lease. Every write names the lease in its WHERE clause
 * ({@link #HELD}): a worker whose lease expired and was taken over, or whose simulation was
 * cancelled, matches no row and so changes nothing. Lease times come from the database clock, so
 * workers on machines whose clocks disagree still agree on who holds what.
 */
final class LeaseStore {
  /** The lease is still held: parameters id, owner, version. */
  static final String HELD = "id = ? AND lease_owner = ? AND version = ? AND status = 'running'";

  private final Database db;
  private final SimulationReader reader;
  /**
   * Batches seen published: a published batch never goes back to being created, so a claim asks
   * the database once per batch and process, not once per claim. One id per batch this process
   * claimed from.
   */
  private final Set<String> published = ConcurrentHashMap.newKeySet();
  /** PostgreSQL's one-statement round write; null on the other databases. */
  private final @Nullable PostgresRoundRecorder postgresRounds;
  /** PostgreSQL's grouped finishes; null on the other databases. */
  private final @Nullable PostgresFinisher postgresFinishes;
  /** The last round and the finish in one transaction; not used on PostgreSQL. */
  private final LastRoundFinish lastRoundFinish;

  LeaseStore(Database db, SimulationReader reader) {
    this.db = db;
    this.reader = reader;
    this.postgresRounds = db.sql().dialect() == Dialect.POSTGRESQL ? new PostgresRoundRecorder(db) : null;
    this.postgresFinishes = db.sql().dialect() == Dialect.POSTGRESQL
        ? new PostgresFinisher(db, f -> finishAlone(f.lease(), f.status(), f.error(), f.unrecordedUsage(),
            f.unrecordedCostUsd(), f.flags(), f.knownTurns()))
        : null;
    this.lastRoundFinish = new LastRoundFinish(db, this);
  }

  /** How many PostgreSQL rounds and finishes wait for a group (for tests that form one behind a held write). */
  int queuedPostgresWrites() {
    return (postgresRounds == null ? 0 : postgresRounds.queued())
        + (postgresFinishes == null ? 0 : postgresFinishes.queued());
  }

  List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    // Sorted, so the same exclusions make the same statement text (one cached statement).
    List<String> excluded = List.copyOf(new TreeSet<>(excludedModels));
    checkDuration(leaseDuration);
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return db.write("claim simulations of batch " + batchId, c -> {
      if (!published.contains(batchId)) {
        if (!BatchStore.isPublished(c, batchId)) {
          return List.<ClaimedSimulation>of();
        }
        published.add(batchId);
      }
      List<String> ids = db.sql().claim(c, batchId, owner, max, leaseDuration, excluded);
      if (ids.isEmpty()) {
        return List.<ClaimedSimulation>of();
      }
      List<ClaimedSimulation> claimed = new ArrayList<>(ids.size());
      try (PreparedStatement ps = c.prepareStatement(SimulationReader.SELECT + " WHERE s.id IN ("
          + DialectSql.placeholders(ids.size()) + ")" + SimulationReader.ORDER)) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          reader.read(rs, s -> claimed.add(
              new ClaimedSimulation(s.simulation(), new Lease(s.simulation().id(), owner, s.version()))));
        }
      }
      claimed.sort(Comparator.comparingInt(cs -> cs.simulation().sequenceNumber()));
      return List.copyOf(claimed);
    });
  }

  List<HeldLease> live(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    DialectSql sql = db.sql();
    return db.read("find the live leases of batch " + batchId, c -> {
      List<HeldLease> live = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, lease_owner, lease_expires_at FROM simulations"
          + " WHERE batch_id = ? AND status = 'running' AND lease_owner IS NOT NULL AND NOT " + sql.leaseExpired()
          + " ORDER BY sequence_number")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Instant expiresAt = sql.instant(rs, 3);
            if (expiresAt != null) {
              live.add(new HeldLease(rs.getString(1), rs.getString(2), expiresAt));
            }
          }
        }
      }
      return List.copyOf(live);
    });
  }

  Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    checkDuration(leaseDuration);
    // Sorted, so that two transactions lock rows in the same order and cannot deadlock each other.
    List<Lease> sorted = leases.stream().sorted(Comparator.comparing(Lease::simulationId)).toList();
    if (sorted.isEmpty()) {
      return Set.of();
    }
    DialectSql sql = db.sql();
    return db.write("renew " + sorted.size() + " leases", c -> {
      // One batch: a single round trip to a server that pipelines it (PostgreSQL), whatever the
      // number of leases, so a heartbeat costs the same one exchange per worker.
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE simulations SET lease_expires_at = " + sql.nowPlus() + " WHERE " + HELD)) {
        for (Lease lease : sorted) {
          sql.bindDuration(ps, 1, leaseDuration);
          bindLease(ps, 2, lease);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        Set<String> lost = new LinkedHashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
          // SUCCESS_NO_INFO (-2) would be a driver that does not count: none of ours, but never a loss.
          if (i >= counts.length || counts[i] == 0) {
            lost.add(sorted.get(i).simulationId());
          }
        }
        return Set.copyOf(lost);
      }
    });
  }

  boolean recordRound(Lease lease, RoundResult round) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(round, "round");
    if (postgresRounds != null) {
      return postgresRounds.record(lease, round);
    }
    String turnsJson = TurnJson.write(round.turns());
    return db.write("record round " + round.round() + " of simulation " + lease.simulationId(), c -> {
      if (roundStored(c, lease.simulationId(), round.round())) {
        return held(c, lease);
      }
      // Adding the usage is also the lease check, and in PostgreSQL and H2 it locks the row until commit.
      boolean held = db.prepared(c, "UPDATE simulations SET prompt_tokens = prompt_tokens + ?,"
          + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?,"
          + " calls = calls + ?, cost_usd = cost_usd + ?, model = COALESCE(?, model),"
          + " cache_hits = cache_hits + ?, system_fingerprint = COALESCE(?, system_fingerprint) WHERE " + HELD, ps -> {
        ps.setLong(1, round.usage().promptTokens());
        ps.setLong(2, round.usage().completionTokens());
        ps.setLong(3, round.usage().cachedTokens());
        ps.setLong(4, round.usage().calls());
        // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
        bindCost(ps, 5, round.costUsd());
        ps.setString(6, round.model());
        ps.setLong(7, round.usage().cacheHits());
        ps.setString(8, round.systemFingerprint());
        bindLease(ps, 9, lease);
        return ps.executeUpdate() > 0;
      });
      if (!held) {
        return false;
      }
      insertRound(c, lease, round, turnsJson);
      return true;
    });
  }

  /**
   * Inserts the round's row, its turns already written as JSON ({@code turnsJson}: encoded before
   * the write, so not while SQLite's one connection waits); the caller has checked the lease and
   * that the round is not stored.
   */
  void insertRound(Connection c, Lease lease, RoundResult round, String turnsJson) throws SQLException {
    DialectSql sql = db.sql();
    db.prepared(c, "INSERT INTO simulation_rounds (simulation_id, round, turns,"
        + " prompt_tokens, completion_tokens, cached_tokens, model, recorded_at, cache_hits, system_fingerprint)"
        + " VALUES (?, ?, " + sql.json() + ", ?, ?, ?, ?, " + sql.now() + ", ?, ?)", ps -> {
      ps.setString(1, lease.simulationId());
      ps.setInt(2, round.round());
      ps.setString(3, turnsJson);
      ps.setLong(4, round.usage().promptTokens());
      ps.setLong(5, round.usage().completionTokens());
      ps.setLong(6, round.usage().cachedTokens());
      ps.setString(7, round.model());
      ps.setLong(8, round.usage().cacheHits());
      ps.setString(9, round.systemFingerprint());
      return ps.executeUpdate();
    });
  }

  /**
   * Records the last round and finishes the simulation {@code COMPLETED} with its flags, as {@link
   * #recordRound} then {@link #finish(Lease, SimulationStatus, String, TokenUsage, Double, List, List)}
   * do: on PostgreSQL as those two writes (its round write is one statement of its own), elsewhere
   * in one transaction ({@link LastRoundFinish}).
   */
  boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(lastRound, "lastRound");
    if (postgresRounds != null) {
      return recordRound(lease, lastRound)
          && finish(lease, SimulationStatus.COMPLETED, null, TokenUsage.ZERO, 0.0, flags, turns);
    }
    return lastRoundFinish.write(lease, lastRound, flags, turns);
  }

  /**
   * Records one role-play turn into its round's row, which grows turn by turn: no schema change,
   * and every reader of rounds reads turns recorded either way.
   */
  boolean recordTurn(Lease lease, TurnResult result) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(result, "turn");
    Turn turn = result.turn();
    DialectSql sql = db.sql();
    return db.write("record turn " + turn.turnNumber() + " of simulation " + lease.simulationId(), c -> {
      @Nullable List<Turn> round = roundTurns(c, lease.simulationId(), turn.round());
      if (round != null && round.stream().anyMatch(t -> t.turnNumber() == turn.turnNumber())) {
        return held(c, lease);
      }
      // Adding the usage is also the lease check, and in PostgreSQL and H2 it locks the row until commit.
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET prompt_tokens = prompt_tokens + ?,"
          + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?,"
          + " calls = calls + ?, cost_usd = cost_usd + ?,"
          + " model = COALESCE(?, model), cache_hits = cache_hits + ? WHERE " + HELD)) {
        bindUsage(ps, 1, result.usage());
        ps.setLong(4, result.usage().calls());
        // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
        bindCost(ps, 5, result.costUsd());
        ps.setString(6, result.model());
        ps.setLong(7, result.usage().cacheHits());
        bindLease(ps, 8, lease);
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      if (round == null) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO simulation_rounds (simulation_id, round, turns,"
            + " prompt_tokens, completion_tokens, cached_tokens, model, recorded_at) VALUES (?, ?, " + sql.json()
            + ", ?, ?, ?, ?, " + sql.now() + ")")) {
          ps.setString(1, lease.simulationId());
          ps.setInt(2, turn.round());
          ps.setString(3, TurnJson.write(List.of(turn)));
          bindUsage(ps, 4, result.usage());
          ps.setString(7, result.model());
          ps.executeUpdate();
        }
        return true;
      }
      List<Turn> grown = new ArrayList<>(round);
      grown.add(turn);
      grown.sort(Comparator.comparingInt(Turn::turnNumber));
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulation_rounds SET turns = " + sql.json() + ","
          + " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
          + " cached_tokens = cached_tokens + ?, model = COALESCE(?, model), recorded_at = " + sql.now()
          + " WHERE simulation_id = ? AND round = ?")) {
        ps.setString(1, TurnJson.write(grown));
        bindUsage(ps, 2, result.usage());
        ps.setString(5, result.model());
        ps.setString(6, lease.simulationId());
        ps.setInt(7, turn.round());
        ps.executeUpdate();
      }
      return true;
    });
  }

  boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    return finish(lease, status, error, unrecordedUsage, unrecordedCostUsd, null, null);
  }

  /**
   * Finishes the simulation as {@link #finish(Lease, SimulationStatus, String, TokenUsage, Double)}
   * does, and when {@code flags} is not null replaces its quality flags in the same statement: a
   * completed simulation is one write, and its flags are written only if the lease is held. When
   * {@code knownTurns} is not null they are the simulation's recorded turns as its lease's holder
   * has them: the transcript and digest are rendered from them, and its rounds are not read back.
   */
  boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd, @Nullable List<QualityFlag> flags, @Nullable List<Turn> knownTurns) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(unrecordedUsage, "unrecordedUsage");
    if (status != SimulationStatus.COMPLETED && status != SimulationStatus.FAILED) {
      throw new IllegalArgumentException("a simulation finishes as completed or failed, not " + status.wireName());
    }
    if (postgresFinishes != null) {
      return postgresFinishes.finish(
          new PostgresFinisher.Finish(lease, status, error, unrecordedUsage, unrecordedCostUsd, flags, knownTurns));
    }
    return finishAlone(lease, status, error, unrecordedUsage, unrecordedCostUsd, flags, knownTurns);
  }

  /** One finish in a transaction of its own: read the rounds, render, update under the lease. */
  private boolean finishAlone(Lease lease, SimulationStatus status, @Nullable String error,
      TokenUsage unrecordedUsage, @Nullable Double unrecordedCostUsd, @Nullable List<QualityFlag> flags,
      @Nullable List<Turn> knownTurns) {
    DialectSql sql = db.sql();
    @Nullable String flagsText = flags == null ? null : FlagsText.join(flags);
    // Known turns are rendered and hashed before the write, not while SQLite's one connection waits.
    @Nullable String knownContent = knownTurns == null ? null : Transcript.render(knownTurns);
    @Nullable String knownDigest = knownTurns == null ? null : TurnsDigest.ofTurns(knownTurns);
    return db.write("finish simulation " + lease.simulationId(), c -> {
      List<Turn> turns = knownTurns != null ? knownTurns : turns(c, lease.simulationId());
      String content = knownContent != null ? knownContent : Transcript.render(turns);
      String digest = knownDigest != null ? knownDigest : TurnsDigest.ofTurns(turns);
      return db.prepared(c, "UPDATE simulations SET status = ?, error = ?, content = ?,"
          + " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
          + " cached_tokens = cached_tokens + ?, calls = calls + ?, cost_usd = cost_usd + ?,"
          + " cache_hits = cache_hits + ?, turns_sha256 = ?, finished_by = ?," + (flags == null ? "" : " flags = ?,")
          + " finished_at = " + sql.now() + ", lease_owner = NULL, lease_expires_at = NULL WHERE " + HELD, ps -> {
        ps.setString(1, status.wireName());
        ps.setString(2, error);
        ps.setString(3, content);
        ps.setLong(4, unrecordedUsage.promptTokens());
        ps.setLong(5, unrecordedUsage.completionTokens());
        ps.setLong(6, unrecordedUsage.cachedTokens());
        ps.setLong(7, unrecordedUsage.calls());
        bindCost(ps, 8, unrecordedCostUsd);
        ps.setLong(9, unrecordedUsage.cacheHits());
        ps.setString(10, digest);
        ps.setString(11, lease.owner());
        int next = 12;
        if (flags != null) {
          // NULL for none, as FlagColumn writes it.
          ps.setString(next++, flagsText == null || flagsText.isEmpty() ? null : flagsText);
        }
        bindLease(ps, next, lease);
        return ps.executeUpdate() > 0;
      });
    });
  }

  /** Binds a cost in US dollars, NULL when unknown. */
  static void bindCost(PreparedStatement ps, int index, @Nullable Double costUsd) throws SQLException {
    if (costUsd == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, costUsd);
    }
  }

  boolean release(Lease lease) {
    return giveBack(lease, "release", "");
  }

  /**
   * Releases and undoes the claim's attempt. A first claim set {@code started_at}, a later one kept
   * it; the right-hand sides read the row as it was before this update.
   */
  boolean unclaim(Lease lease) {
    return giveBack(lease, "unclaim",
        ", attempts = attempts - 1, started_at = CASE WHEN attempts = 1 THEN NULL ELSE started_at END");
  }

  private boolean giveBack(Lease lease, String what, String alsoSet) {
    Objects.requireNonNull(lease, "lease");
    return db.write(what + " simulation " + lease.simulationId(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'pending', lease_owner = NULL,"
          + " lease_expires_at = NULL" + alsoSet + " WHERE " + HELD)) {
        bindLease(ps, 1, lease);
        return ps.executeUpdate() > 0;
      }
    });
  }

  long cancelUnfinished(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    DialectSql sql = db.sql();
    return db.write("cancel the simulations of batch " + batchId, c -> {
      if (!BatchStore.isPublished(c, batchId)) {
        return 0L;
      }
      // The version goes up too, so a lease presented later matches nothing even if re-queued.
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'cancelled',"
          + " lease_owner = NULL, lease_expires_at = NULL, version = version + 1, finished_at = " + sql.now()
          + " WHERE batch_id = ? AND status IN ('pending', 'running')")) {
        ps.setString(1, batchId);
        return (long) ps.executeUpdate();
      }
    });
  }

  long requeueCancelled(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return db.write("re-queue the cancelled simulations of batch " + batchId, c -> {
      if (!BatchStore.isPublished(c, batchId)) {
        return 0L;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'pending', finished_at = NULL"
          + " WHERE batch_id = ? AND status = 'cancelled'")) {
        ps.setString(1, batchId);
        return (long) ps.executeUpdate();
      }
    });
  }

  long requeueFailed(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    DialectSql sql = db.sql();
    return db.write("re-queue the failed simulations of batch " + batchId, c -> {
      // Read, then append in Java: appending to a JSON array differs in every dialect's SQL. The
      // status condition on the update keeps a row that changed meanwhile as it is.
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, attempts, error, finished_at, attempt_history"
          + " FROM simulations WHERE batch_id = ? AND status = 'failed' ORDER BY sequence_number")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            List<FailedAttempt> history = new ArrayList<>(AttemptHistoryJson.readStored(rs.getString(5)));
            history.add(new FailedAttempt(rs.getInt(2), Objects.requireNonNullElse(rs.getString(3), ""),
                sql.instant(rs, 4)));
            rows.add(new String[] {rs.getString(1), AttemptHistoryJson.write(history)});
          }
        }
      }
      long requeued = 0;
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'pending', error = NULL,"
          + " finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, attempt_history = " + sql.json()
          + " WHERE id = ? AND status = 'failed'")) {
        for (String[] row : rows) {
          ps.setString(1, row[1]);
          ps.setString(2, row[0]);
          requeued += ps.executeUpdate();
        }
      }
      return requeued;
    });
  }

  /**
   * Appends to the attempt history in Java (appending to a JSON array differs in every dialect's
   * SQL), in the transaction whose update is the lease check; a kept rerun's turns replace the
   * recorded rounds, one row per round, their usage counted once on the simulation.
   */
  boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns, TokenUsage rerunUsage,
      @Nullable Double rerunCostUsd) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(setAside, "setAside");
    Objects.requireNonNull(rerunUsage, "rerunUsage");
    DialectSql sql = db.sql();
    return db.write("append an attempt of simulation " + lease.simulationId(), c -> {
      List<FailedAttempt> history = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT attempt_history FROM simulations WHERE " + HELD)) {
        bindLease(ps, 1, lease);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          history.addAll(AttemptHistoryJson.readStored(rs.getString(1)));
        }
      }
      history.add(setAside);
      // Adding the usage is also the lease check, and in PostgreSQL and H2 it locks the row until commit.
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET prompt_tokens = prompt_tokens + ?,"
          + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?,"
          + " calls = calls + ?, cost_usd = cost_usd + ?, cache_hits = cache_hits + ?,"
          + " attempt_history = " + sql.json() + " WHERE " + HELD)) {
        bindUsage(ps, 1, rerunUsage);
        ps.setLong(4, rerunUsage.calls());
        // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
        bindCost(ps, 5, rerunCostUsd);
        ps.setLong(6, rerunUsage.cacheHits());
        ps.setString(7, AttemptHistoryJson.write(history));
        bindLease(ps, 8, lease);
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      if (keptTurns != null) {
        replaceRounds(c, sql, lease.simulationId(), keptTurns);
      }
      return true;
    });
  }

  private static void replaceRounds(Connection c, DialectSql sql, String simulationId, List<Turn> turns)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM simulation_rounds WHERE simulation_id = ?")) {
      ps.setString(1, simulationId);
      ps.executeUpdate();
    }
    Map<Integer, List<Turn>> byRound = new java.util.TreeMap<>();
    for (Turn turn : turns) {
      byRound.computeIfAbsent(turn.round(), r -> new ArrayList<>()).add(turn);
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO simulation_rounds (simulation_id, round, turns,"
        + " prompt_tokens, completion_tokens, cached_tokens, recorded_at) VALUES (?, ?, " + sql.json()
        + ", 0, 0, 0, " + sql.now() + ")")) {
      for (Map.Entry<Integer, List<Turn>> round : byRound.entrySet()) {
        List<Turn> inOrder = new ArrayList<>(round.getValue());
        inOrder.sort(Comparator.comparingInt(Turn::turnNumber));
        ps.setString(1, simulationId);
        ps.setInt(2, round.getKey());
        ps.setString(3, TurnJson.write(inOrder));
        ps.executeUpdate();
      }
    }
  }

  boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(outcomes, "outcomes");
    DialectSql sql = db.sql();
    return db.write("record the outcomes of simulation " + lease.simulationId(), c -> {
      // Read, then merge in Java: merging JSON objects differs in every dialect's SQL. The lease
      // condition on the update keeps a simulation taken over meanwhile as it is.
      Map<String, @Nullable Object> values = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT outcomes FROM simulations WHERE " + HELD)) {
        bindLease(ps, 1, lease);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          values.putAll(OutcomeJson.readValues(rs.getString(1)));
        }
      }
      values.putAll(outcomes.values());
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET outcomes = " + sql.json()
          + ", outcome_error = ?, outcome_extraction = " + sql.json() + ", prompt_tokens = prompt_tokens + ?,"
          + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?, calls = calls + ?,"
          + " cost_usd = cost_usd + ? WHERE " + HELD)) {
        ps.setString(1, OutcomeJson.writeValues(values));
        ps.setString(2, outcomes.error());
        ps.setString(3, OutcomeJson.writeExtraction(outcomes.extraction()));
        ps.setLong(4, outcomes.usage().promptTokens());
        ps.setLong(5, outcomes.usage().completionTokens());
        ps.setLong(6, outcomes.usage().cachedTokens());
        ps.setLong(7, outcomes.usage().calls());
        // NULL + x is NULL: an unknown cost stays unknown.
        bindCost(ps, 8, outcomes.costUsd());
        bindLease(ps, 9, lease);
        return ps.executeUpdate() > 0;
      }
    });
  }

  long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(request, "request");
    DialectSql sql = db.sql();
    return db.write("re-queue the completed simulations of batch " + batchId + " for outcome extraction", c -> {
      if (!BatchStore.isPublished(c, batchId)) {
        return 0L;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET request = " + sql.json() + " WHERE id = ?")) {
        ps.setString(1, BatchRequestJson.write(request));
        ps.setString(2, batchId);
        ps.executeUpdate();
      }
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, outcomes FROM simulations"
          + " WHERE batch_id = ? AND status = 'completed' ORDER BY sequence_number")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, @Nullable Object> values = new LinkedHashMap<>(OutcomeJson.readValues(rs.getString(2)));
            if (cleared == null) {
              values.clear();
            } else {
              values.keySet().removeAll(cleared);
            }
            rows.add(new String[] {rs.getString(1), OutcomeJson.writeValues(values)});
          }
        }
      }
      long requeued = 0;
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'pending', finished_at = NULL,"
          + " lease_owner = NULL, lease_expires_at = NULL, outcome_error = NULL, outcomes = " + sql.json()
          + " WHERE id = ? AND status = 'completed'")) {
        for (String[] row : rows) {
          ps.setString(1, row[1]);
          ps.setString(2, row[0]);
          requeued += ps.executeUpdate();
        }
      }
      return requeued;
    });
  }

  boolean roundStored(Connection c, String simulationId, int round) throws SQLException {
    return db.prepared(c, "SELECT 1 FROM simulation_rounds WHERE simulation_id = ? AND round = ?", ps -> {
      ps.setString(1, simulationId);
      ps.setInt(2, round);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
  }

  /** The turns stored in the round's row, or null when the round has no row yet. */
  private static @Nullable List<Turn> roundTurns(Connection c, String simulationId, int round) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT turns FROM simulation_rounds WHERE simulation_id = ? AND round = ?")) {
      ps.setString(1, simulationId);
      ps.setInt(2, round);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        List<Turn> turns = new ArrayList<>();
        TurnJson.readStored(rs.getString(1), turns);
        return turns;
      }
    }
  }

  private static void bindUsage(PreparedStatement ps, int first, TokenUsage usage) throws SQLException {
    ps.setLong(first, usage.promptTokens());
    ps.setLong(first + 1, usage.completionTokens());
    ps.setLong(first + 2, usage.cachedTokens());
  }

  private boolean held(Connection c, Lease lease) throws SQLException {
    return db.prepared(c, "SELECT 1 FROM simulations WHERE " + HELD, ps -> {
      bindLease(ps, 1, lease);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
  }

  private List<Turn> turns(Connection c, String simulationId) throws SQLException {
    List<Turn> turns = new ArrayList<>();
    db.prepared(c, "SELECT turns FROM simulation_rounds WHERE simulation_id = ? ORDER BY round", ps -> {
      ps.setString(1, simulationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TurnJson.readStored(rs.getString(1), turns);
        }
      }
      return null;
    });
    return turns;
  }

  /** Binds {@link #HELD}'s parameters from {@code first} on. */
  static void bindLease(PreparedStatement ps, int first, Lease lease) throws SQLException {
    ps.setString(first, lease.simulationId());
    ps.setString(first + 1, lease.owner());
    ps.setLong(first + 2, lease.version());
  }

  private static void checkDuration(Duration leaseDuration) {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative()) {
      throw new IllegalArgumentException("leaseDuration must not be negative, was " + leaseDuration);
    }
  }
}
