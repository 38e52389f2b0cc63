package dev.cohort.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator leases of {@code batch_api} batches ({@code batch_coordinators}). Times come from
 * the database clock, as for simulation leases, so processes whose clocks disagree still agree on
 * who coordinates. Taking a lease is an update of the batch's row where it is free, expired or the
 * owner's own, else an insert; two workers inserting at once meet the primary key, and the loser
 * tries once more, as an update that its rival's live lease refuses.
 */
final class CoordinatorLeaseStore {
  private final Database db;

  CoordinatorLeaseStore(Database db) {
    this.db = db;
  }

  boolean acquire(String batchId, String owner, Duration leaseDuration) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    checkDuration(leaseDuration);
    DialectSql sql = db.sql();
    for (int attempt = 1; ; attempt++) {
      try {
        return db.write("take the coordinator lease of batch " + batchId, c -> {
          try (PreparedStatement ps = c.prepareStatement("UPDATE batch_coordinators SET lease_owner = ?,"
              + " lease_expires_at = " + sql.nowPlus() + " WHERE batch_id = ? AND (lease_owner = ? OR "
              + sql.leaseExpired() + ")")) {
            ps.setString(1, owner);
            sql.bindDuration(ps, 2, leaseDuration);
            ps.setString(3, batchId);
            ps.setString(4, owner);
            if (ps.executeUpdate() > 0) {
              return true;
            }
          }
          // INSERT ... SELECT: nothing for an unknown batch, nor over a live lease of another owner.
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_coordinators (batch_id, lease_owner,"
              + " lease_expires_at) SELECT id, ?, " + sql.nowPlus() + " FROM batches WHERE id = ? AND NOT EXISTS"
              + " (SELECT 1 FROM batch_coordinators WHERE batch_id = ?)")) {
            ps.setString(1, owner);
            sql.bindDuration(ps, 2, leaseDuration);
            ps.setString(3, batchId);
            ps.setString(4, batchId);
            return ps.executeUpdate() > 0;
          }
        });
      } catch (RuntimeException e) {
        if (attempt >= 2 || !(e.getCause() instanceof SQLException s) || !isUniqueViolation(s)) {
          throw e;
        }
      }
    }
  }

  boolean renew(String batchId, String owner, Duration leaseDuration) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    checkDuration(leaseDuration);
    DialectSql sql = db.sql();
    return db.write("renew the coordinator lease of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE batch_coordinators SET lease_expires_at = "
          + sql.nowPlus() + " WHERE batch_id = ? AND lease_owner = ?")) {
        sql.bindDuration(ps, 1, leaseDuration);
        ps.setString(2, batchId);
        ps.setString(3, owner);
        return ps.executeUpdate() > 0;
      }
    });
  }

  void release(String batchId, String owner) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(owner, "owner");
    db.write("release the coordinator lease of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM batch_coordinators WHERE batch_id = ? AND lease_owner = ?")) {
        ps.setString(1, batchId);
        ps.setString(2, owner);
        return ps.executeUpdate();
      }
    });
  }

  Optional<String> liveOwner(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    DialectSql sql = db.sql();
    return db.read("find the coordinator of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT lease_owner FROM batch_coordinators WHERE batch_id = ?"
          + " AND NOT " + sql.leaseExpired())) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** 23505 in PostgreSQL and H2; SQLite (whose writers queue) reports its constraint code 19. */
  private static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState()) || e.getErrorCode() == 19;
  }

  private static void checkDuration(Duration leaseDuration) {
    if (leaseDuration == null || leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException("leaseDuration must be positive, was " + leaseDuration);
    }
  }
}
