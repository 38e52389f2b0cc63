package dev.cohort.jdbc;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.codec.FlagsText;
import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import java.util.List;

/**
 * Records a simulation's last round and finishes it {@code COMPLETED} in one transaction, with one
 * update of its row: the round's usage, cost, model and fingerprint are added by the same {@code
 * UPDATE} that sets the status, transcript, digest and flags and clears the lease, and the round's
 * row is inserted only if that update found the lease held. On SQLite the write is one entry of a
 * group commit instead of two, and the simulation's row is written once instead of twice.
 *
 * <p>The transcript, its digest and the round's JSON are made before the write, so SQLite's one
 * connection does not wait for them. It does what {@link LeaseStore#recordRound} then {@link LeaseStore#finish} do: when the round
 * is already stored (a retry of a write whose answer was lost) its usage is not added again and
 * only the finish is written; when the lease is no longer held nothing is written.
 */
final class LastRoundFinish {
  private final Database db;
  private final LeaseStore leases;
  private final String update;

  LastRoundFinish(Database db, LeaseStore leases) {
    this.db = db;
    this.leases = leases;
    this.update = "UPDATE simulations SET status = 'completed', error = NULL, content = ?,"
        + " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
        + " cached_tokens = cached_tokens + ?, calls = calls + ?, cost_usd = cost_usd + ?,"
        + " cache_hits = cache_hits + ?, model = COALESCE(?, model), system_fingerprint = COALESCE(?, system_fingerprint),"
        + " turns_sha256 = ?, finished_by = ?, flags = ?, finished_at = " + db.sql().now()
        + ", lease_owner = NULL, lease_expires_at = NULL WHERE " + LeaseStore.HELD;
  }

  /**
   * Records {@code round} (unless stored already) and finishes the simulation with {@code flags} and
   * the transcript of {@code turns}; returns false, with nothing written, when the lease is not held.
   */
  boolean write(Lease lease, RoundResult round, List<QualityFlag> flags, List<Turn> turns) {
    List<Turn> transcript = List.copyOf(turns);
    String content = Transcript.render(transcript);
    String digest = TurnsDigest.ofTurns(transcript);
    String flagsText = FlagsText.join(flags);
    String turnsJson = TurnJson.write(round.turns());
    return db.write("record round " + round.round() + " and finish simulation " + lease.simulationId(), c -> {
      boolean stored = leases.roundStored(c, lease.simulationId(), round.round());
      TokenUsage added = stored ? TokenUsage.ZERO : round.usage();
      boolean held = db.prepared(c, update, ps -> {
        ps.setString(1, content);
        ps.setLong(2, added.promptTokens());
        ps.setLong(3, added.completionTokens());
        ps.setLong(4, added.cachedTokens());
        ps.setLong(5, added.calls());
        // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
        LeaseStore.bindCost(ps, 6, stored ? Double.valueOf(0.0) : round.costUsd());
        ps.setLong(7, added.cacheHits());
        ps.setString(8, stored ? null : round.model());
        ps.setString(9, stored ? null : round.systemFingerprint());
        ps.setString(10, digest);
        ps.setString(11, lease.owner());
        // NULL for none, as FlagColumn writes it.
        ps.setString(12, flagsText.isEmpty() ? null : flagsText);
        LeaseStore.bindLease(ps, 13, lease);
        return ps.executeUpdate() > 0;
      });
      if (held && !stored) {
        leases.insertRound(c, lease, round, turnsJson);
      }
      return held;
    });
  }
}
