package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.inmemory.SimulatedLlm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process dies while it creates a batch on SQLite. What it stored stays invisible: no read
 * finds the batch, no worker claims from it, and {@link Cohort#resumeUnfinished()} deletes it
 * once it is older than {@link Cohort#ABANDONED_CREATION_AGE}.
 */
class CreationCrashTest {
  @TempDir Path dir;

  @Test
  void aBatchWhoseCreatorDiedIsNeverSeenOrRunAndIsDeletedWhenWorkResumes() throws Exception {
    String url = TestDatabase.SQLITE_FILE.newUrl(dir);
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        CreationCrashMain.class.getName(), url)
        .redirectErrorStream(true).redirectOutput(dir.resolve("child-output.txt").toFile())
        .start();
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the creating process ended").isTrue();
    assertThat(child.exitValue()).as("the creating process halted mid-creation").isEqualTo(CreationCrashMain.EXIT_CODE);

    try (Fixture f = new Fixture(TestDatabase.SQLITE_FILE, url)) {
      // Two chunks reached the file before the process died.
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulations"))
          .isEqualTo(2L * RepositoryPort.CREATE_CHUNK);
      assertThat(f.queryLong("SELECT COUNT(*) FROM batches WHERE status = 'creating'")).isEqualTo(1);

      JdbcRepository repo = f.repo;
      String id = CreationCrashMain.BATCH_ID;
      assertThat(repo.findBatch(id)).isEmpty();
      assertThat(repo.listBatches(0, 10)).isEmpty();
      assertThat(repo.findBatchIds(EnumSet.allOf(BatchStatus.class))).isEmpty();
      assertThat(repo.claim(id, "worker", 10, Duration.ofMinutes(1))).isEmpty();
      assertThat(repo.findSimulation(id + "-s1")).isEmpty();

      try (Cohort cohort = Cohort.builder().repository(repo).llm(SimulatedLlm.create()).build()) {
        assertThat(cohort.resumeUnfinished()).as("nothing to resume").isEmpty();
      }
      assertThat(f.queryLong("SELECT COUNT(*) FROM batches")).isZero();
      assertThat(f.queryLong("SELECT COUNT(*) FROM simulations")).isZero();
      // The id is free for a new batch.
      f.createBatch(id, 3);
      assertThat(repo.findBatch(id)).isPresent();
    }
  }
}
