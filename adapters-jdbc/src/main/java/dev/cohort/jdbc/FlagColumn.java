package dev.cohort.jdbc;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.internal.codec.FlagsText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code simulations.flags} column (schema version 7): a simulation's quality flags as {@link
 * FlagsText#join} writes them ({@code "refusal,repetition"}), NULL for none; and a batch's flag
 * counts, one {@code GROUP BY} over the distinct flag sets of its simulations (a few dozen at most,
 * whatever the batch's size).
 */
final class FlagColumn {
  private FlagColumn() {}

  /** The flags a column value holds; empty for NULL. */
  static List<QualityFlag> read(@Nullable String column) {
    try {
      return FlagsText.parse(column);
    } catch (IllegalArgumentException e) {
      throw new CohortException("stored quality flags are not readable: " + e.getMessage(), e);
    }
  }

  /** Replaces the flags of simulation {@code simulationId}; nothing for an unknown one. */
  static void record(Database db, String simulationId, List<QualityFlag> flags) {
    Objects.requireNonNull(simulationId, "simulationId");
    String text = FlagsText.join(flags);
    // Written once per completed simulation that has flags: a hot statement, kept prepared on SQLite.
    db.write("record the quality flags of simulation " + simulationId,
        c -> db.prepared(c, "UPDATE simulations SET flags = ? WHERE id = ?", ps -> {
          ps.setString(1, text.isEmpty() ? null : text);
          ps.setString(2, simulationId);
          return ps.executeUpdate();
        }));
  }

  /** Most simulations whose flags one transaction of {@link #record(Database, Map)} replaces. */
  static final int BATCH = 500;

  /**
   * Replaces the flags of every simulation in {@code flagsById}, {@value #BATCH} to a transaction
   * (one JDBC batch each): the end-of-batch duplicate pass flags thousands at once, and one
   * transaction each cost a commit per simulation on SQLite's one connection.
   */
  static void record(Database db, Map<String, List<QualityFlag>> flagsById) {
    Objects.requireNonNull(flagsById, "flagsById");
    List<Map.Entry<String, String>> rows = new ArrayList<>(flagsById.size());
    flagsById.forEach((id, flags) -> rows.add(Map.entry(Objects.requireNonNull(id, "simulation id"),
        FlagsText.join(Objects.requireNonNull(flags, "flags of " + id)))));
    for (int from = 0; from < rows.size(); from += BATCH) {
      List<Map.Entry<String, String>> chunk = rows.subList(from, Math.min(rows.size(), from + BATCH));
      db.write("record the quality flags of " + chunk.size() + " simulations",
          c -> db.prepared(c, "UPDATE simulations SET flags = ? WHERE id = ?", ps -> {
            for (Map.Entry<String, String> row : chunk) {
              ps.setString(1, row.getValue().isEmpty() ? null : row.getValue());
              ps.setString(2, row.getKey());
              ps.addBatch();
            }
            return ps.executeBatch();
          }));
    }
  }

  /** Flag counts of each of {@code batchIds} that has a flagged simulation. */
  static Map<String, Map<QualityFlag, Long>> counts(Connection c, Collection<String> batchIds) throws SQLException {
    Map<String, FlagsText.Tally> counts = new HashMap<>();
    List<String> ids = List.copyOf(batchIds);
    for (int from = 0; from < ids.size(); from += EntityStore.IN_LIST_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + EntityStore.IN_LIST_CHUNK));
      try (PreparedStatement ps = c.prepareStatement("SELECT batch_id, flags, COUNT(*) FROM simulations"
          + " WHERE batch_id IN (" + DialectSql.placeholders(chunk.size()) + ") AND flags IS NOT NULL"
          + " GROUP BY batch_id, flags")) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.computeIfAbsent(rs.getString(1), id -> new FlagsText.Tally()).add(read(rs.getString(2)), rs.getLong(3));
          }
        }
      }
    }
    Map<String, Map<QualityFlag, Long>> out = new HashMap<>();
    counts.forEach((id, fc) -> out.put(id, fc.toMap()));
    return out;
  }
}
