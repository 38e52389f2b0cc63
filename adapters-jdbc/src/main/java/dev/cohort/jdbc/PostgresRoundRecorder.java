package dev.cohort.jdbc;

import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Records a round on PostgreSQL in one statement, run in auto-commit mode: one round trip to the
 * server per round instead of four (look for the round, add the usage under the lease, insert the
 * round, commit). What it does is what {@link LeaseStore#recordRound} does on the other databases:
 * when the round is not stored yet, the usage is added only while the lease is held (the update's
 * WHERE, which also locks the row until the statement ends) and the round is inserted only if that
 * update matched; when the round is already stored (a retry of a write whose answer was lost),
 * nothing changes and the answer is whether the lease is still held. The statement is its own
 * transaction, so its parts commit together or not at all.
 *
 * <p>Rounds that arrive together, from different simulations of this repository, go to the
 * server as one statement ({@link WriteCoalescer}): the same steps over rows unnested from one
 * array per column, with the lease checked per row, so a round whose lease was lost changes
 * nothing and answers {@code false} to its own caller while the others' rows are stored. The
 * server then wakes one backend and commits once for the group. Should the grouped statement fail
 * (an error, not a lost lease), each round of the group is written again alone, so only the round
 * that fails is told so.
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

  /**
   * The same for many rounds: one row per round from the arrays, in simulation id order; answers
   * the simulation ids whose lease was held. Ids are distinct within one statement.
   */
  private static final String RECORD_MANY = "WITH f AS MATERIALIZED (SELECT i.*, NOT EXISTS (SELECT 1"
      + " FROM simulation_rounds r WHERE r.simulation_id = i.id AND r.round = i.round) AS fresh FROM unnest("
      + "CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]),"
      + " CAST(? AS bigint[]), CAST(? AS float8[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]),"
      + " CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]))"
      + " AS i (id, round, prompt, completion, cached, calls, cost, model, hits, fingerprint, owner, version, turns)),"
      + " held AS (UPDATE simulations s SET prompt_tokens = s.prompt_tokens + f.prompt,"
      + " completion_tokens = s.completion_tokens + f.completion, cached_tokens = s.cached_tokens + f.cached,"
      + " calls = s.calls + f.calls, cost_usd = s.cost_usd + f.cost, model = COALESCE(f.model, s.model),"
      + " cache_hits = s.cache_hits + f.hits, system_fingerprint = COALESCE(f.fingerprint, s.system_fingerprint)"
      + " FROM f WHERE f.fresh AND " + heldBy("s", "f") + " RETURNING s.id),"
      + " added AS (INSERT INTO simulation_rounds (simulation_id, round, turns, prompt_tokens, completion_tokens,"
      + " cached_tokens, model, recorded_at, cache_hits, system_fingerprint)"
      + " SELECT f.id, f.round, CAST(f.turns AS jsonb), f.prompt, f.completion, f.cached, f.model, CURRENT_TIMESTAMP,"
      + " f.hits, f.fingerprint FROM f JOIN held h ON h.id = f.id RETURNING simulation_id)"
      + " SELECT simulation_id FROM added"
      + " UNION ALL SELECT s.id FROM simulations s JOIN f ON NOT f.fresh AND " + heldBy("s", "f");

  /** How many rounds one statement carries at most. */
  static final int MAX_GROUP = 128;

  /** A round to record under a lease. */
  private record Pending(Lease lease, RoundResult round) {}

  private final Database db;
  private final WriteCoalescer<Pending, Boolean> groups;

  PostgresRoundRecorder(Database db) {
    this.db = db;
    this.groups = new WriteCoalescer<>(MAX_GROUP, this::recordGroup);
  }

  /** {@link LeaseStore#HELD} for the row {@code s} against the lease columns of the row {@code f}. */
  private static String heldBy(String s, String f) {
    return s + ".id = " + f + ".id AND " + s + ".lease_owner = " + f + ".owner AND " + s + ".version = " + f
        + ".version AND " + s + ".status = 'running'";
  }

  /**
   * Records {@code round} under {@code lease}, in one statement with the rounds of other
   * simulations that arrive meanwhile; returns whether the lease was held.
   */
  boolean record(Lease lease, RoundResult round) {
    return groups.write(new Pending(lease, round));
  }

  /** How many rounds wait for the statement running now to end. */
  int queued() {
    return groups.queued();
  }

  /** Settles every write of {@code group}: one statement for all, or each alone should that fail. */
  private void recordGroup(List<WriteCoalescer.Write<Pending, Boolean>> group) {
    OneRowPerSimulation.settle(group, p -> p.lease().simulationId(),
        rows -> db.writeOne("record " + rows.size() + " rounds", c -> recordMany(c, rows)),
        p -> recordOne(p.lease(), p.round()));
  }

  private Set<String> recordMany(Connection c, List<WriteCoalescer.Write<Pending, Boolean>> rows) throws SQLException {
    int n = rows.size();
    String[] id = new String[n];
    Integer[] round = new Integer[n];
    Long[] prompt = new Long[n];
    Long[] completion = new Long[n];
    Long[] cached = new Long[n];
    Long[] calls = new Long[n];
    Double[] cost = new Double[n];
    String[] model = new String[n];
    Long[] hits = new Long[n];
    String[] fingerprint = new String[n];
    String[] owner = new String[n];
    Long[] version = new Long[n];
    String[] turns = new String[n];
    for (int i = 0; i < n; i++) {
      Lease lease = rows.get(i).input().lease();
      RoundResult r = rows.get(i).input().round();
      id[i] = lease.simulationId();
      round[i] = r.round();
      prompt[i] = r.usage().promptTokens();
      completion[i] = r.usage().completionTokens();
      cached[i] = r.usage().cachedTokens();
      calls[i] = r.usage().calls();
      // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
      cost[i] = r.costUsd();
      model[i] = r.model();
      hits[i] = r.usage().cacheHits();
      fingerprint[i] = r.systemFingerprint();
      owner[i] = lease.owner();
      version[i] = lease.version();
      turns[i] = TurnJson.write(r.turns());
    }
    Object[][] columns = {id, round, prompt, completion, cached, calls, cost, model, hits, fingerprint, owner, version,
        turns};
    String[] types = {"text", "int4", "int8", "int8", "int8", "int8", "float8", "text", "int8", "text", "text", "int8",
        "text"};
    return db.prepared(c, RECORD_MANY, ps -> OneRowPerSimulation.heldIds(c, ps, types, columns));
  }

  /** Records one round in its own statement; returns whether the lease was held. */
  private boolean recordOne(Lease lease, RoundResult round) {
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
