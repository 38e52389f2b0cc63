package dev.cohort.jdbc;

import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.codec.AttemptHistoryJson;
import dev.cohort.core.internal.codec.TurnJson;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Claims and the writes made under a lease. Every write names the lease in its WHERE clause
 * ({@link #HELD}): a worker whose lease expired and was taken over, or whose simulation was
 * cancelled, matches no row and so changes nothing. Lease times come from the database clock, so
 * workers on machines whose clocks disagree still agree on who holds what.
 */
final class LeaseStore {
  /** The lease is still held: parameters id, owner, version. */
  private static final String HELD = "id = ? AND lease_owner = ? AND version = ? AND status = 'running'";

  private final Database db;
  private final SimulationReader reader;

  LeaseStore(Database db, SimulationReader reader) {
    this.db = db;
    this.reader = reader;
  }

  List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    checkDuration(leaseDuration);
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return db.write("claim simulations of batch " + batchId, c -> {
      if (!BatchStore.isPublished(c, batchId)) {
        return List.<ClaimedSimulation>of();
      }
      List<String> ids = db.sql().claim(c, batchId, owner, max, leaseDuration);
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
      Set<String> lost = new LinkedHashSet<>();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE simulations SET lease_expires_at = " + sql.nowPlus() + " WHERE " + HELD)) {
        for (Lease lease : sorted) {
          sql.bindDuration(ps, 1, leaseDuration);
          bindLease(ps, 2, lease);
          if (ps.executeUpdate() == 0) {
            lost.add(lease.simulationId());
          }
        }
      }
      return Set.copyOf(lost);
    });
  }

  boolean recordRound(Lease lease, RoundResult round) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(round, "round");
    DialectSql sql = db.sql();
    return db.write("record round " + round.round() + " of simulation " + lease.simulationId(), c -> {
      if (roundStored(c, lease.simulationId(), round.round())) {
        return held(c, lease);
      }
      // Adding the usage is also the lease check, and in PostgreSQL and H2 it locks the row until commit.
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET prompt_tokens = prompt_tokens + ?,"
          + " completion_tokens = completion_tokens + ?, cached_tokens = cached_tokens + ?,"
          + " model = COALESCE(?, model), cache_hits = cache_hits + ?,"
          + " system_fingerprint = COALESCE(?, system_fingerprint) WHERE " + HELD)) {
        ps.setLong(1, round.usage().promptTokens());
        ps.setLong(2, round.usage().completionTokens());
        ps.setLong(3, round.usage().cachedTokens());
        ps.setString(4, round.model());
        ps.setLong(5, round.usage().cacheHits());
        ps.setString(6, round.systemFingerprint());
        bindLease(ps, 7, lease);
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO simulation_rounds (simulation_id, round, turns,"
          + " prompt_tokens, completion_tokens, cached_tokens, model, recorded_at, cache_hits, system_fingerprint)"
          + " VALUES (?, ?, " + sql.json() + ", ?, ?, ?, ?, " + sql.now() + ", ?, ?)")) {
        ps.setString(1, lease.simulationId());
        ps.setInt(2, round.round());
        ps.setString(3, TurnJson.write(round.turns()));
        ps.setLong(4, round.usage().promptTokens());
        ps.setLong(5, round.usage().completionTokens());
        ps.setLong(6, round.usage().cachedTokens());
        ps.setString(7, round.model());
        ps.setLong(8, round.usage().cacheHits());
        ps.setString(9, round.systemFingerprint());
        ps.executeUpdate();
      }
      return true;
    });
  }

  boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage) {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(unrecordedUsage, "unrecordedUsage");
    if (status != SimulationStatus.COMPLETED && status != SimulationStatus.FAILED) {
      throw new IllegalArgumentException("a simulation finishes as completed or failed, not " + status.wireName());
    }
    DialectSql sql = db.sql();
    return db.write("finish simulation " + lease.simulationId(), c -> {
      List<Turn> turns = turns(c, lease.simulationId());
      String content = Transcript.render(turns);
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = ?, error = ?, content = ?,"
          + " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
          + " cached_tokens = cached_tokens + ?, cache_hits = cache_hits + ?, turns_sha256 = ?, finished_by = ?,"
          + " finished_at = " + sql.now() + ", lease_owner = NULL, lease_expires_at = NULL WHERE " + HELD)) {
        ps.setString(1, status.wireName());
        ps.setString(2, error);
        ps.setString(3, content);
        ps.setLong(4, unrecordedUsage.promptTokens());
        ps.setLong(5, unrecordedUsage.completionTokens());
        ps.setLong(6, unrecordedUsage.cachedTokens());
        ps.setLong(7, unrecordedUsage.cacheHits());
        ps.setString(8, TurnsDigest.ofTurns(turns));
        ps.setString(9, lease.owner());
        bindLease(ps, 10, lease);
        return ps.executeUpdate() > 0;
      }
    });
  }

  boolean release(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    return db.write("release simulation " + lease.simulationId(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE simulations SET status = 'pending', lease_owner = NULL,"
          + " lease_expires_at = NULL WHERE " + HELD)) {
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

  private static boolean roundStored(Connection c, String simulationId, int round) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM simulation_rounds WHERE simulation_id = ? AND round = ?")) {
      ps.setString(1, simulationId);
      ps.setInt(2, round);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean held(Connection c, Lease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM simulations WHERE " + HELD)) {
      bindLease(ps, 1, lease);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private List<Turn> turns(Connection c, String simulationId) throws SQLException {
    List<Turn> turns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT turns FROM simulation_rounds WHERE simulation_id = ? ORDER BY round")) {
      ps.setString(1, simulationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TurnJson.readStored(rs.getString(1), turns);
        }
      }
    }
    return turns;
  }

  private static void bindLease(PreparedStatement ps, int first, Lease lease) throws SQLException {
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
