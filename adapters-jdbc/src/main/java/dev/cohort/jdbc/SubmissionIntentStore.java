package dev.cohort.jdbc;

import dev.cohort.core.port.SubmissionIntent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Provider jobs about to be submitted for {@code batch_api} batches ({@code submission_intents}). */
final class SubmissionIntentStore {
  private final Database db;

  SubmissionIntentStore(Database db) {
    this.db = db;
  }

  void save(SubmissionIntent intent) {
    Objects.requireNonNull(intent, "intent");
    db.write("record a submission intent of batch " + intent.batchId(), c -> {
      // INSERT ... SELECT: nothing is written for an unknown batch.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO submission_intents (batch_id, submission_key,"
          + " created_order, custom_ids, created_at) SELECT id, ?, (SELECT COALESCE(MAX(created_order), 0) + 1"
          + " FROM submission_intents WHERE batch_id = ?), ?, ? FROM batches WHERE id = ?")) {
        ps.setString(1, intent.key());
        ps.setString(2, intent.batchId());
        ps.setString(3, String.join("\n", intent.customIds()));
        ps.setString(4, intent.createdAt().toString());
        ps.setString(5, intent.batchId());
        return ps.executeUpdate();
      }
    });
  }

  List<SubmissionIntent> find(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return db.read("read the submission intents of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT submission_key, custom_ids, created_at"
          + " FROM submission_intents WHERE batch_id = ? ORDER BY created_order")) {
        ps.setString(1, batchId);
        List<SubmissionIntent> intents = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            intents.add(new SubmissionIntent(batchId, rs.getString(1), Arrays.asList(rs.getString(2).split("\n")),
                Instant.parse(rs.getString(3))));
          }
        }
        return List.copyOf(intents);
      }
    });
  }

  void delete(SubmissionIntent intent) {
    Objects.requireNonNull(intent, "intent");
    db.write("remove a submission intent of batch " + intent.batchId(), c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM submission_intents WHERE batch_id = ?"
          + " AND submission_key = ?")) {
        ps.setString(1, intent.batchId());
        ps.setString(2, intent.key());
        return ps.executeUpdate();
      }
    });
  }
}
