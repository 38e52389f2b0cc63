package dev.cohort.jdbc;

import dev.cohort.core.port.WorkerRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link WorkerRegistry} in a repository's database ({@code worker_heartbeats}): the workers of
 * several processes on one PostgreSQL store share a provider limit through it. Each heartbeat is
 * one short transaction (update or insert this worker's row, forget the rows that stopped
 * counting, count the rest); a worker sends one every few seconds. Thread-safe.
 *
 * <pre>{@code
 * JdbcRepository repository = JdbcRepository.builder().url("jdbc:postgresql://db/cohort").build();
 * Cohort cohort = Cohort.builder().llm(model).repository(repository)
 *     .workerRegistry(JdbcWorkerRegistry.of(repository)).build();
 * }</pre>
 */
public final class JdbcWorkerRegistry implements WorkerRegistry {
  private final Database db;

  private JdbcWorkerRegistry(Database db) {
    this.db = db;
  }

  /** The registry in {@code repository}'s database; it lives as long as the repository is open. */
  public static JdbcWorkerRegistry of(JdbcRepository repository) {
    Objects.requireNonNull(repository, "repository");
    return new JdbcWorkerRegistry(repository.database());
  }

  @Override
  public int heartbeat(String limitKey, String workerId, Instant now, Duration timeout) {
    requireNonBlank(limitKey, "limitKey");
    requireNonBlank(workerId, "workerId");
    Objects.requireNonNull(now, "now");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    long nowMillis = now.toEpochMilli();
    long cutoff = now.minus(timeout).toEpochMilli();
    return db.write("record the heartbeat of worker " + workerId, c -> {
      int updated;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE worker_heartbeats SET heartbeat_millis = ? WHERE limit_key = ? AND worker_id = ?")) {
        ps.setLong(1, nowMillis);
        ps.setString(2, limitKey);
        ps.setString(3, workerId);
        updated = ps.executeUpdate();
      }
      // Only this worker writes its own row, so no other insert of it can race this one.
      if (updated == 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO worker_heartbeats (limit_key, worker_id, heartbeat_millis) VALUES (?, ?, ?)")) {
          ps.setString(1, limitKey);
          ps.setString(2, workerId);
          ps.setLong(3, nowMillis);
          ps.executeUpdate();
        }
      }
      // Rows of workers that stopped counting are forgotten: the table stays the size of the live set.
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM worker_heartbeats WHERE limit_key = ? AND heartbeat_millis <= ?")) {
        ps.setString(1, limitKey);
        ps.setLong(2, cutoff);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM worker_heartbeats WHERE limit_key = ? AND heartbeat_millis > ?")) {
        ps.setString(1, limitKey);
        ps.setLong(2, cutoff);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Math.max(1, rs.getInt(1));
        }
      }
    });
  }

  @Override
  public void leave(String limitKey, String workerId) {
    requireNonBlank(limitKey, "limitKey");
    requireNonBlank(workerId, "workerId");
    db.write("remove worker " + workerId + " from the live workers", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM worker_heartbeats WHERE limit_key = ? AND worker_id = ?")) {
        ps.setString(1, limitKey);
        ps.setString(2, workerId);
        return ps.executeUpdate();
      }
    });
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
