package dev.cohort.jdbc;

import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.StoreInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;

/** Batch seals ({@code batch_seals}) and what the store is, for provenance manifests. */
final class ProvenanceStore {
  private final Database db;

  ProvenanceStore(Database db) {
    this.db = db;
  }

  StoreInfo info() {
    int version = db.read("read the schema version", c -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT MAX(version) FROM cohort_schema_history")) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    });
    return new StoreInfo(db.sql().dialect().folder(), version);
  }

  void saveSeal(String batchId, BatchSeal seal) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(seal, "seal");
    db.write("record the seal of batch " + batchId, c -> {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM batch_seals WHERE batch_id = ?")) {
        delete.setString(1, batchId);
        delete.executeUpdate();
      }
      // INSERT ... SELECT: nothing is written for an unknown batch.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_seals (batch_id, request_sha256,"
          + " entities_sha256) SELECT id, ?, ? FROM batches WHERE id = ?")) {
        ps.setString(1, seal.requestSha256());
        ps.setString(2, seal.entitiesSha256());
        ps.setString(3, batchId);
        return ps.executeUpdate();
      }
    });
  }

  Optional<BatchSeal> findSeal(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return db.read("read the seal of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT request_sha256, entities_sha256 FROM batch_seals WHERE batch_id = ?")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new BatchSeal(rs.getString(1), rs.getString(2))) : Optional.<BatchSeal>empty();
        }
      }
    });
  }
}
