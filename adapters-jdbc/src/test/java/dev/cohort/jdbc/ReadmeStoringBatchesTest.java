package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.LlmPort;
import dev.cohort.inmemory.SimulatedLlm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Storing batches" examples, as they are written there. */
class ReadmeStoringBatchesTest {
  private static final BatchRequest REQUEST = BatchRequest.builder()
      .name("Climate Change Discussion")
      .context("A panel discussion about potential solutions to climate change")
      .entityIds("e1", "e2", "e3", "e4")
      .interactionSize(2).numSimulations(3).nTurns(2)
      .build();
  private static final List<Entity> ENTITIES = List.of(
      Entity.of("e1", "Maya Chen", "Climate scientist"),
      Entity.of("e2", "Tom Becker", "Coal-plant engineer"),
      Entity.of("e3", "Amara Okafor", "Policy adviser"),
      Entity.of("e4", "Luis Ortega", "Farmer"));

  @TempDir Path dir;

  @Test
  void aSqliteFileKeepsTheBatchForTheNextProcessAndForSqlReaders() throws Exception {
    LlmPort llm = SimulatedLlm.create();
    Path file = dir.resolve("cohort.db");
    String batchId;
    // README: SQLite
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).build()) {
      cohort.saveEntities(ENTITIES);
      batchId = cohort.run(REQUEST).id();
    }
    // Another process, later: the batch is still there.
    try (JdbcRepository repository = JdbcRepository.sqlite(file)) {
      assertThat(repository.findBatch(batchId).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM simulations s JOIN batches b ON b.id = s.batch_id"
            + " WHERE b.name = 'Climate Change Discussion' AND s.status = 'completed' AND s.content <> ''")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @Test
  void severalWorkersOnPostgresqlShareOneBatch() throws Exception {
    String url = PostgresServer.freshSchemaUrl();
    LlmPort llm = SimulatedLlm.create();
    try {
      // README: several workers. Worker 1 creates the batch ...
      String batchId;
      try (JdbcRepository repository = JdbcRepository.builder().url(url).build();
          Cohort cohort = Cohort.builder().llm(llm).repository(repository).workerId("worker-1").build()) {
        cohort.saveEntities(ENTITIES);
        batchId = cohort.createBatch(REQUEST).id();
        // ... and worker 2, in another process on another machine, joins it.
        try (JdbcRepository repository2 = JdbcRepository.builder().url(url).build();
            Cohort worker2 = Cohort.builder().llm(llm).repository(repository2)
                .workerId("worker-2")
                .leaseDuration(Duration.ofSeconds(60))
                .resumeOnStart(true)
                .build()) {
          Batch done = worker2.await(batchId);
          assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        }
        assertThat(cohort.await(batchId).counts().completed()).isEqualTo(3);
      }
    } finally {
      TestDatabase.POSTGRESQL.dispose(url);
    }
  }
}
