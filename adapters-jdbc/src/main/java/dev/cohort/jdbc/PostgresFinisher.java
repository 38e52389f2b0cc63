package dev.cohort.jdbc;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.codec.FlagsText;
import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.Lease;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finishes simulations on PostgreSQL in groups: the finishes that arrive together ({@link
 * WriteCoalescer}) are one transaction of two statements, one read of all their rounds and one
 * update of all their rows from arrays, instead of a read, an update and a commit each. The lease
 * is checked per row in the update's WHERE, so a simulation whose lease was lost is left as it was
 * and its own caller is told {@code false}, while the others finish. A lone finish, and each finish
 * of a group whose transaction failed (an error, not a lost lease), runs alone as before, so only
 * the finish that fails is told so.
 */
final class PostgresFinisher {
  /**
   * One finish, as {@link LeaseStore#finish} takes it; {@code knownTurns}, when not null, are the
   * simulation's recorded turns as its lease's holder has them, so its rounds are not read back.
   */
  record Finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd, @Nullable List<QualityFlag> flags, @Nullable List<Turn> knownTurns) {}

  /** Finishes one simulation in a transaction of its own; returns whether the lease was held. */
  @FunctionalInterface
  interface Alone {
    boolean finish(Finish finish);
  }

  private static final String ROUNDS = "SELECT simulation_id, turns FROM simulation_rounds"
      + " WHERE simulation_id = ANY (CAST(? AS text[])) ORDER BY simulation_id, round";

  private static final String UPDATE = "UPDATE simulations s SET status = f.status, error = f.error,"
      + " content = f.content, prompt_tokens = s.prompt_tokens + f.prompt,"
      + " completion_tokens = s.completion_tokens + f.completion, cached_tokens = s.cached_tokens + f.cached,"
      + " calls = s.calls + f.calls, cost_usd = s.cost_usd + f.cost, cache_hits = s.cache_hits + f.hits,"
      + " turns_sha256 = f.sha, finished_by = f.owner,"
      + " flags = CASE WHEN f.set_flags THEN f.flags ELSE s.flags END,"
      + " finished_at = CURRENT_TIMESTAMP, lease_owner = NULL, lease_expires_at = NULL"
      + " FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]),"
      + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]),"
      + " CAST(? AS bigint[]), CAST(? AS float8[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS boolean[]),"
      + " CAST(? AS text[]))"
      + " AS f (id, owner, version, status, error, content, prompt, completion, cached, calls, cost, hits, sha,"
      + " set_flags, flags)"
      + " WHERE s.id = f.id AND s.lease_owner = f.owner AND s.version = f.version AND s.status = 'running'"
      + " RETURNING s.id";

  /** How many finishes one transaction carries at most. */
  static final int MAX_GROUP = 64;

  private final Database db;
  private final Alone alone;
  private final WriteCoalescer<Finish, Boolean> groups;

  PostgresFinisher(Database db, Alone alone) {
    this.db = db;
    this.alone = alone;
    this.groups = new WriteCoalescer<>(MAX_GROUP, this::finishGroup);
  }

  /** Finishes {@code finish}, with the finishes of other simulations that arrive meanwhile. */
  boolean finish(Finish finish) {
    return groups.write(finish);
  }

  /** How many finishes wait for the group running now to end. */
  int queued() {
    return groups.queued();
  }

  private void finishGroup(List<WriteCoalescer.Write<Finish, Boolean>> group) {
    OneRowPerSimulation.settle(group, f -> f.lease().simulationId(),
        rows -> db.write("finish " + rows.size() + " simulations", c -> finishAll(c, rows)), alone::finish);
  }

  private Set<String> finishAll(Connection c, List<WriteCoalescer.Write<Finish, Boolean>> rows) throws SQLException {
    int n = rows.size();
    String[] id = new String[n];
    List<String> unknown = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      id[i] = rows.get(i).input().lease().simulationId();
      if (rows.get(i).input().knownTurns() == null) {
        unknown.add(id[i]);
      }
    }
    Map<String, List<Turn>> turns = unknown.isEmpty() ? Map.of() : turns(c, unknown.toArray(String[]::new));
    String[] owner = new String[n];
    Long[] version = new Long[n];
    String[] status = new String[n];
    String[] error = new String[n];
    String[] content = new String[n];
    Long[] prompt = new Long[n];
    Long[] completion = new Long[n];
    Long[] cached = new Long[n];
    Long[] calls = new Long[n];
    Double[] cost = new Double[n];
    Long[] hits = new Long[n];
    String[] sha = new String[n];
    Boolean[] setFlags = new Boolean[n];
    String[] flags = new String[n];
    for (int i = 0; i < n; i++) {
      Finish f = rows.get(i).input();
      @Nullable List<Turn> known = f.knownTurns();
      List<Turn> own = known != null ? known : turns.getOrDefault(id[i], List.of());
      owner[i] = f.lease().owner();
      version[i] = f.lease().version();
      status[i] = f.status().wireName();
      error[i] = f.error();
      content[i] = Transcript.render(own);
      prompt[i] = f.unrecordedUsage().promptTokens();
      completion[i] = f.unrecordedUsage().completionTokens();
      cached[i] = f.unrecordedUsage().cachedTokens();
      calls[i] = f.unrecordedUsage().calls();
      // NULL + x is NULL: an unknown cost stays unknown, as CostSum has it.
      cost[i] = f.unrecordedCostUsd();
      hits[i] = f.unrecordedUsage().cacheHits();
      sha[i] = TurnsDigest.ofTurns(own);
      setFlags[i] = f.flags() != null;
      @Nullable String text = f.flags() == null ? null : FlagsText.join(f.flags());
      // NULL for none, as FlagColumn writes it.
      flags[i] = text == null || text.isEmpty() ? null : text;
    }
    Object[][] columns = {id, owner, version, status, error, content, prompt, completion, cached, calls, cost, hits,
        sha, setFlags, flags};
    String[] types = {"text", "text", "int8", "text", "text", "text", "int8", "int8", "int8", "int8", "float8",
        "int8", "text", "bool", "text"};
    return db.prepared(c, UPDATE, ps -> OneRowPerSimulation.heldIds(c, ps, types, columns));
  }

  /** The stored turns of each simulation, in round order. */
  private Map<String, List<Turn>> turns(Connection c, String[] ids) throws SQLException {
    Map<String, List<Turn>> turns = new HashMap<>();
    db.prepared(c, ROUNDS, ps -> {
      Array a = c.createArrayOf("text", ids);
      try {
        ps.setArray(1, a);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TurnJson.readStored(rs.getString(2), turns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()));
          }
        }
      } finally {
        a.free();
      }
      return null;
    });
    return turns;
  }
}
