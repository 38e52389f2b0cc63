package dev.cohort.jdbc;

import dev.cohort.core.batch.Simulation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads of the {@code simulations} table with their rounds' turns. */
final class SimulationStore {
  /** Rows fetched per round trip when streaming, and simulations per page where pages are used. */
  static final int WINDOW = 500;

  private final Database db;
  private final SimulationReader reader;

  SimulationStore(Database db, SimulationReader reader) {
    this.db = db;
    this.reader = reader;
  }

  Optional<Simulation> find(String id) {
    Objects.requireNonNull(id, "simulationId");
    return db.read("find simulation " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement(SimulationReader.SELECT + " WHERE s.id = ?"
          + SimulationReader.ORDER)) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          List<SimulationReader.Stored> found = reader.readAll(rs);
          if (found.isEmpty() || !BatchStore.isPublished(c, found.get(0).simulation().batchId())) {
            return Optional.<Simulation>empty();
          }
          return Optional.of(found.get(0).simulation());
        }
      }
    });
  }

  /**
   * Streams the batch's simulations. PostgreSQL reads through one server-side cursor, {@value
   * #WINDOW} rows per fetch. SQLite and H2 read keyset pages of {@value #WINDOW} simulations
   * instead: SQLite's one connection must not stay busy while {@code action} runs, and H2 would
   * build the whole result before handing over its first row.
   */
  void forEach(String batchId, Consumer<? super Simulation> action) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(action, "action");
    if (!db.read("find batch " + batchId, c -> BatchStore.isPublished(c, batchId))) {
      return;
    }
    if (db.sql().cursorStreaming()) {
      db.stream("read the simulations of batch " + batchId, c -> {
        try (PreparedStatement ps = c.prepareStatement(SimulationReader.SELECT + " WHERE s.batch_id = ?"
            + SimulationReader.ORDER)) {
          ps.setFetchSize(WINDOW);
          ps.setString(1, batchId);
          try (ResultSet rs = ps.executeQuery()) {
            reader.read(rs, stored -> action.accept(stored.simulation()));
          }
        }
        return null;
      });
      return;
    }
    int after = 0;
    while (true) {
      int from = after;
      List<SimulationReader.Stored> page = db.read("read the simulations of batch " + batchId, c -> {
        // The ORDER BY names the unique key's columns, so that H2 too reads the page off the index.
        try (PreparedStatement ps = c.prepareStatement(SimulationReader.select("(SELECT * FROM simulations"
            + " WHERE batch_id = ? AND sequence_number > ? ORDER BY batch_id, sequence_number LIMIT ?)")
            + SimulationReader.ORDER)) {
          ps.setString(1, batchId);
          ps.setInt(2, from);
          ps.setInt(3, WINDOW);
          try (ResultSet rs = ps.executeQuery()) {
            return reader.readAll(rs);
          }
        }
      });
      List<Simulation> sims = new ArrayList<>(page.size());
      page.forEach(s -> sims.add(s.simulation()));
      sims.forEach(action);
      if (page.size() < WINDOW) {
        return;
      }
      after = sims.get(sims.size() - 1).sequenceNumber();
    }
  }
}
