package dev.cohort.jdbc;

import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ProviderJob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Provider batch jobs of {@code batch_api} batches ({@code provider_jobs}). */
final class ProviderJobStore {
  private final Database db;

  ProviderJobStore(Database db) {
    this.db = db;
  }

  void save(ProviderJob job) {
    Objects.requireNonNull(job, "job");
    db.write("record provider job " + job.jobId() + " of batch " + job.batchId(), c -> {
      long order;
      try (PreparedStatement ps = c.prepareStatement("SELECT submitted_order FROM provider_jobs WHERE batch_id = ?"
          + " AND job_id = ?")) {
        ps.setString(1, job.batchId());
        ps.setString(2, job.jobId());
        try (ResultSet rs = ps.executeQuery()) {
          order = rs.next() ? rs.getLong(1) : -1;
        }
      }
      if (order >= 0) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE provider_jobs SET state = ?, output_file_id = ?,"
            + " error_file_id = ?, total = ?, completed = ?, failed = ?, applied = ? WHERE batch_id = ? AND job_id = ?")) {
          ps.setString(1, job.state().wireName());
          setText(ps, 2, job.outputFileId());
          setText(ps, 3, job.errorFileId());
          ps.setLong(4, job.total());
          ps.setLong(5, job.completed());
          ps.setLong(6, job.failed());
          ps.setInt(7, job.applied() ? 1 : 0);
          ps.setString(8, job.batchId());
          ps.setString(9, job.jobId());
          return ps.executeUpdate();
        }
      }
      // INSERT ... SELECT: nothing is written for an unknown batch.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO provider_jobs (batch_id, job_id, submitted_order,"
          + " state, input_file_id, output_file_id, error_file_id, total, completed, failed, custom_ids, submitted_at,"
          + " applied, model) SELECT id, ?, (SELECT COALESCE(MAX(submitted_order), 0) + 1 FROM provider_jobs WHERE"
          + " batch_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM batches WHERE id = ?")) {
        ps.setString(1, job.jobId());
        ps.setString(2, job.batchId());
        ps.setString(3, job.state().wireName());
        ps.setString(4, job.inputFileId());
        setText(ps, 5, job.outputFileId());
        setText(ps, 6, job.errorFileId());
        ps.setLong(7, job.total());
        ps.setLong(8, job.completed());
        ps.setLong(9, job.failed());
        ps.setString(10, String.join("\n", job.customIds()));
        ps.setString(11, job.submittedAt().toString());
        ps.setInt(12, job.applied() ? 1 : 0);
        // Set once: a job's model never changes.
        setText(ps, 13, job.model());
        ps.setString(14, job.batchId());
        return ps.executeUpdate();
      }
    });
  }

  List<ProviderJob> find(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return db.read("read the provider jobs of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT job_id, state, input_file_id, output_file_id,"
          + " error_file_id, total, completed, failed, custom_ids, submitted_at, applied, model FROM provider_jobs"
          + " WHERE batch_id = ? ORDER BY submitted_order")) {
        ps.setString(1, batchId);
        List<ProviderJob> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String ids = rs.getString(9);
            jobs.add(new ProviderJob(batchId, rs.getString(1), BatchJobState.fromWire(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                ids.isEmpty() ? List.of() : Arrays.asList(ids.split("\n")), Instant.parse(rs.getString(10)),
                rs.getInt(11) != 0, rs.getString(12)));
          }
        }
        return List.copyOf(jobs);
      }
    });
  }

  private static void setText(PreparedStatement ps, int index, @Nullable String value) throws java.sql.SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
