package dev.cohort.jdbc;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.SpendReservation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The budget's ledger in the database: each batch's settled spend ({@code batches.spent_usd},
 * {@code spent_tokens}) and the reservations of calls in flight ({@code spend_reservations}), so
 * several workers on one database hold one budget.
 *
 * <p>A reservation is checked and taken in one transaction that first updates the batch's row:
 * PostgreSQL and H2 lock that row until commit and SQLite takes its write lock, so two workers
 * reserving on one batch take turns and neither can pass the budget on a sum the other is about to
 * change. A reservation counts only while the lease it was taken under is live: its simulation is
 * still running under that owner and version and the lease has not expired by the database's clock.
 */
final class SpendLedger {
  private final Database db;

  SpendLedger(Database db) {
    this.db = db;
  }

  SpendReservation reserve(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    Objects.requireNonNull(lease, "lease");
    String live = "s.status = 'running' AND s.lease_owner = r.lease_owner AND s.version = r.lease_version"
        + " AND s.lease_expires_at > " + db.sql().now();
    return db.write("reserve spend for simulation " + lease.simulationId(), c -> {
      String batchId = heldBatch(c, lease);
      if (batchId == null) {
        return SpendReservation.LEASE_LOST;
      }
      lockBatch(c, batchId);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM spend_reservations WHERE simulation_id = ?")) {
        ps.setString(1, lease.simulationId());
        ps.executeUpdate();
      }
      double spentUsd;
      long spentTokens;
      try (PreparedStatement ps = c.prepareStatement("SELECT spent_usd, spent_tokens FROM batches WHERE id = ?")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return SpendReservation.LEASE_LOST;
          }
          spentUsd = rs.getDouble(1);
          spentTokens = rs.getLong(2);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(r.cost_usd), 0), COALESCE(SUM(r.tokens), 0)"
          + " FROM spend_reservations r JOIN simulations s ON s.id = r.simulation_id WHERE r.batch_id = ? AND " + live)) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          spentUsd += rs.getDouble(1);
          spentTokens += rs.getLong(2);
        }
      }
      if (maxCostUsd != null && spentUsd + costUsd > maxCostUsd) {
        return SpendReservation.OVER_BUDGET;
      }
      if (maxTotalTokens != null && spentTokens + tokens > maxTotalTokens) {
        return SpendReservation.OVER_BUDGET;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO spend_reservations (simulation_id, batch_id,"
          + " lease_owner, lease_version, cost_usd, tokens) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, lease.simulationId());
        ps.setString(2, batchId);
        ps.setString(3, lease.owner());
        ps.setLong(4, lease.version());
        ps.setDouble(5, costUsd);
        ps.setLong(6, tokens);
        ps.executeUpdate();
      }
      return SpendReservation.RESERVED;
    });
  }

  void settle(Lease lease, double costUsd, long tokens) {
    Objects.requireNonNull(lease, "lease");
    db.write("settle spend of simulation " + lease.simulationId(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET spent_usd = spent_usd + ?,"
          + " spent_tokens = spent_tokens + ? WHERE id = (SELECT batch_id FROM simulations WHERE id = ?)")) {
        ps.setDouble(1, costUsd);
        ps.setLong(2, tokens);
        ps.setString(3, lease.simulationId());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM spend_reservations WHERE simulation_id = ?"
          + " AND lease_owner = ? AND lease_version = ?")) {
        ps.setString(1, lease.simulationId());
        ps.setString(2, lease.owner());
        ps.setLong(3, lease.version());
        ps.executeUpdate();
      }
      return null;
    });
  }

  BatchSpend spentOn(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return db.read("read the spend of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT spent_usd, spent_tokens FROM batches WHERE id = ?")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new BatchSpend(rs.getDouble(1), rs.getLong(2)) : BatchSpend.NONE;
        }
      }
    });
  }

  boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    Objects.requireNonNull(batchId, "batchId");
    return db.write("update the budget of batch " + batchId, c -> {
      String stored;
      try (PreparedStatement ps = c.prepareStatement("SELECT request FROM batches WHERE id = ? AND status <> ?")) {
        ps.setString(1, batchId);
        ps.setString(2, BatchStore.CREATING);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          stored = rs.getString(1);
        }
      }
      BatchRequest request = BatchRequestJson.readStored(stored).toBuilder()
          .maxCostUsd(maxCostUsd).maxTotalTokens(maxTotalTokens).build();
      try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET request = " + db.sql().json()
          + " WHERE id = ?")) {
        ps.setString(1, BatchRequestJson.write(request));
        ps.setString(2, batchId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** The batch of the simulation {@code lease} holds, or null when the lease is no longer held. */
  private static @Nullable String heldBatch(Connection c, Lease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT batch_id FROM simulations WHERE id = ? AND lease_owner = ?"
        + " AND version = ? AND status = 'running'")) {
      ps.setString(1, lease.simulationId());
      ps.setString(2, lease.owner());
      ps.setLong(3, lease.version());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Takes the batch's row lock for the rest of the transaction with an update that changes nothing:
   * the one statement that locks in PostgreSQL, H2 and SQLite alike.
   */
  private static void lockBatch(Connection c, String batchId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE batches SET spent_tokens = spent_tokens WHERE id = ?")) {
      ps.setString(1, batchId);
      ps.executeUpdate();
    }
  }
}
