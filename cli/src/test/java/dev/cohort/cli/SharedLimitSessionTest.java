package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.jdbc.PostgresServer;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions of {@code run}, {@code worker} and {@code serve} share the provider's limit with the
 * other workers of a PostgreSQL store (a heartbeat row while they run, none once closed), and not
 * on a SQLite file.
 */
class SharedLimitSessionTest {
  @TempDir
  Path dir;

  @Test
  void aRunningSessionOnPostgresqlCountsAmongTheLiveWorkersUntilItCloses() throws SQLException {
    String url = PostgresServer.freshSchemaUrl();
    StoreOptions store = new StoreOptions();
    store.db = url;

    try (Session session = Session.forRunning(store, new ModelOptions(), builder -> { })) {
      runSmallBatch(session);

      assertThat(liveWorkerRows(url)).isEqualTo(1);
    }
    assertThat(liveWorkerRows(url)).isZero();
  }

  @Test
  void aRunningSessionOnSqlitePacesAlone() throws SQLException {
    StoreOptions store = new StoreOptions();
    store.db = dir.resolve("cohort.db").toString();

    try (Session session = Session.forRunning(store, new ModelOptions(), builder -> { })) {
      runSmallBatch(session);

      assertThat(liveWorkerRows("jdbc:sqlite:" + dir.resolve("cohort.db"))).isZero();
    }
  }

  private static void runSmallBatch(Session session) {
    List<Entity> entities = Entities.generated(4);
    session.cohort().saveEntities(entities);
    Batch batch = session.cohort().createBatch(BatchRequest.builder()
        .name("shared limit")
        .context("Neighbours discuss a shared garden.")
        .entityIds(entities.stream().map(Entity::id).toList())
        .interactionSize(2)
        .numSimulations(3)
        .seed(1L)
        .build());
    assertThat(session.cohort().await(batch.id(), Duration.ofMinutes(1)).status()).isEqualTo(BatchStatus.COMPLETED);
  }

  private static long liveWorkerRows(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM worker_heartbeats")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
