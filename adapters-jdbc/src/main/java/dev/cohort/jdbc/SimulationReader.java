package dev.cohort.jdbc;

import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.OutcomeExtraction;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.codec.AttemptHistoryJson;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.OutcomeJson;
import dev.cohort.core.internal.codec.TurnJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads simulations with their turns from a join of {@code simulations s} and {@code
 * simulation_rounds r}: one row per recorded round (or one row with null round columns), ordered
 * by sequence number and round. Consecutive rows of one simulation fold into one {@link
 * Simulation}, so a result of any length is read with one simulation in memory at a time.
 */
final class SimulationReader {
  /** The query's head over the whole table; add a WHERE clause and {@link #ORDER}. */
  static final String SELECT = select("simulations");
  /** The order the folding needs. */
  static final String ORDER = " ORDER BY s.sequence_number, s.id, r.round";

  /**
   * The query's head over {@code source}: the {@code simulations} table, or a subquery of its rows
   * in parentheses.
   */
  static String select(String source) {
    return "SELECT s.id, s.batch_id, s.sequence_number, s.entity_ids, s.speaking_order,"
        + " s.status, s.error, s.attempts, s.prompt_tokens, s.completion_tokens, s.cached_tokens, s.model,"
        + " s.final_turn_number, s.created_at, s.started_at, s.finished_at, s.version, s.attempt_history, r.turns, s.calls, s.cost_usd,"
        + " s.outcomes, s.outcome_error, s.outcome_extraction, s.flags,"
        + " s.cache_hits, s.system_fingerprint, s.turns_sha256, s.finished_by, s.planned_model"
        + " FROM " + source + " s LEFT JOIN simulation_rounds r ON r.simulation_id = s.id";
  }

  /** A simulation as stored, with the version its lease is at. */
  record Stored(Simulation simulation, long version) {}

  /** Receives each simulation read. */
  @FunctionalInterface
  interface Sink {
    void accept(Stored stored) throws SQLException;
  }

  private final DialectSql sql;

  SimulationReader(DialectSql sql) {
    this.sql = sql;
  }

  /** Reads every row of {@code rs}, handing each complete simulation to {@code sink}. */
  void read(ResultSet rs, Sink sink) throws SQLException {
    @Nullable Builder current = null;
    while (rs.next()) {
      String id = rs.getString(1);
      if (current == null || !current.id.equals(id)) {
        if (current != null) {
          sink.accept(current.build());
        }
        current = new Builder(rs);
      }
      String turns = rs.getString(19);
      if (turns != null) {
        TurnJson.readStored(turns, current.turns);
      }
    }
    if (current != null) {
      sink.accept(current.build());
    }
  }

  /** Reads all of {@code rs} into a list. */
  List<Stored> readAll(ResultSet rs) throws SQLException {
    List<Stored> out = new ArrayList<>();
    read(rs, out::add);
    return out;
  }

  /** One simulation's columns while its round rows are read. */
  private final class Builder {
    final String id;
    final String batchId;
    final int sequenceNumber;
    final List<String> entityIds;
    final List<String> speakingOrder;
    final SimulationStatus status;
    final @Nullable String error;
    final int attempts;
    final TokenUsage usage;
    final @Nullable String model;
    final int finalTurnNumber;
    final Instant createdAt;
    final @Nullable Instant startedAt;
    final @Nullable Instant finishedAt;
    final long version;
    final List<FailedAttempt> attemptHistory;
    final @Nullable Double costUsd;
    final List<QualityFlag> flags;
    final @Nullable String systemFingerprint;
    final @Nullable String turnsSha256;
    final @Nullable String finishedBy;
    final @Nullable String plannedModel;
    final List<Turn> turns = new ArrayList<>();
    final Map<String, @Nullable Object> outcomes;
    final @Nullable String outcomeError;
    final @Nullable OutcomeExtraction outcomeExtraction;

    Builder(ResultSet rs) throws SQLException {
      id = rs.getString(1);
      batchId = rs.getString(2);
      sequenceNumber = rs.getInt(3);
      entityIds = JsonText.strings(rs.getString(4));
      speakingOrder = JsonText.strings(rs.getString(5));
      status = SimulationStatus.fromWireName(rs.getString(6));
      error = rs.getString(7);
      attempts = rs.getInt(8);
      model = rs.getString(12);
      finalTurnNumber = rs.getInt(13);
      createdAt = Objects.requireNonNull(sql.instant(rs, 14), "created_at");
      startedAt = sql.instant(rs, 15);
      finishedAt = sql.instant(rs, 16);
      version = rs.getLong(17);
      attemptHistory = AttemptHistoryJson.readStored(rs.getString(18));
      usage = new TokenUsage(rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(20), rs.getLong(26));
      double cost = rs.getDouble(21);
      costUsd = rs.wasNull() ? null : cost;
      outcomes = OutcomeJson.readValues(rs.getString(22));
      outcomeError = rs.getString(23);
      outcomeExtraction = OutcomeJson.readExtraction(rs.getString(24));
      flags = FlagColumn.read(rs.getString(25));
      systemFingerprint = rs.getString(27);
      turnsSha256 = rs.getString(28);
      finishedBy = rs.getString(29);
      plannedModel = rs.getString(30);
    }

    Stored build() {
      return new Stored(new Simulation(id, batchId, sequenceNumber, entityIds, speakingOrder, status, turns, error,
          attempts, usage, model, finalTurnNumber, createdAt, startedAt, finishedAt, attemptHistory, costUsd, outcomes,
          outcomeError, outcomeExtraction, flags, systemFingerprint, turnsSha256, finishedBy, plannedModel), version);
    }
  }
}
