package dev.cohort.jdbc;

import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import java.sql.ResultSet;

/**
 * Records a round on PostgreSQL in one statement, run in auto-commit mode: one round trip to the
 * server per round instead of four (look for the round, add the usage under the lease, insert the
 * round, commit). What it does is what {@link LeaseStore#recordRound} does on the other databases:
 * when the round is not stored yet, the usage is added only while the lease is held (the update's
 * WHERE, which also locks the row until the statement ends) and the round is inserted only if that
 * update matched; when the round is already stored (a retry of a write whose answer was lost),
 * nothing changes and the answer is whether the lease is still held. The statement is its own
 * transaction, so its parts commit together or not at all.
 */
final class PostgresRoundRecorder {
  private static final String RECORD = "WITH fresh AS (SELECT NOT EXISTS (SELECT 1 FROM simulation_rounds"
      + " WHERE simulation_id = ? AND round = ?) AS yes),"
      + " held AS (UPDATE simulations SET prompt_tokens = prompt_tokens + ?,"
      + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?,"
      + " calls = calls + ?, cost_usd = cost_usd + ?, model = COALESCE(?, model),"
      + " cache_hits = cache_hits + ?, system_fingerprint = COALESCE(?, system_fingerprint)"
      + " WHERE " + LeaseStore.HELD + " AND (SELECT yes FROM fresh) RETURNING id),"
      + " added AS (INSERT INTO simulation_rounds (simulation_id, round, turns, prompt_tokens, completion_tokens,"
      + " cached_tokens, model, recorded_at, cache_hits, system_fingerprint)"
      + " SELECT id, ?, CAST(? AS jsonb), ?, ?, ?, ?, CURRENT_TIMESTAMP, ?, ? FROM held RETURNING 1)"
      + " SELECT (SELECT count(*) FROM added) + (SELECT count(*) FROM simulations"
      + " WHERE NOT (SELECT yes FROM fresh) AND " + LeaseStore.HELD + ")";

  private final Database db;

  PostgresRoundRecorder(Database db) {
    this.db = db;
  }

  /** Records {@code round} under {@code lease}; returns whether the lease was held. */
  boolean record(Lease lease, RoundResult round) {
    return db.writeOne("record round " + round.round() + " of simulation " + lease.simulationId(),
        c -> db.prepared(c, RECORD, ps -> {
          ps.setString(1, lease.simulationId());
          ps.setInt(2, round.round());
          ps.setLong(3, round.usage().promptTokens());
          ps.setLong(4, round.usage().completionTokens());
          ps.setLong(5, round.usage().cachedTokens());
          ps.setLong(6, round.usage().calls());
          // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
          LeaseStore.bindCost(ps, 7, round.costUsd());
          ps.setString(8, round.model());
          ps.setLong(9, round.usage().cacheHits());
          ps.setString(10, round.systemFingerprint());
          LeaseStore.bindLease(ps, 11, lease);
          ps.setInt(14, round.round());
          ps.setString(15, TurnJson.write(round.turns()));
          ps.setLong(16, round.usage().promptTokens());
          ps.setLong(17, round.usage().completionTokens());
          ps.setLong(18, round.usage().cachedTokens());
          ps.setString(19, round.model());
          ps.setLong(20, round.usage().cacheHits());
          ps.setString(21, round.systemFingerprint());
          LeaseStore.bindLease(ps, 22, lease);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getLong(1) > 0;
          }
        }));
  }
}
