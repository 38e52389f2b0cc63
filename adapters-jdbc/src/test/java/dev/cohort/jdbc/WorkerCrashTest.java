package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker process is killed with SIGKILL in the middle of a batch; a new process resumes it. The
 * batch completes with every simulation once, and no round the dead worker had stored is asked of
 * the model again.
 */
class WorkerCrashTest {
  private static final int ROUNDS_BEFORE_KILL = 30;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"SQLITE_FILE", "POSTGRESQL"})
  void aBatchOfAKilledWorkerIsResumedWithoutRepeatingStoredRounds(TestDatabase database) throws Exception {
    // The application name lets the test see when PostgreSQL has dropped the dead worker's sessions.
    String url = database.newUrl(dir);
    String childUrl = database == TestDatabase.POSTGRESQL ? url + "&ApplicationName=doomed-worker" : url;
    Path answersFile = dir.resolve("child-answers.txt");
    try {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          CrashingWorkerMain.class.getName(), childUrl,
          answersFile.toString())
          .redirectError(dir.resolve("child-stderr.txt").toFile())
          .start();
      String batchId = readBatchId(child);
      waitForRounds(url, ROUNDS_BEFORE_KILL, child);

      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (database == TestDatabase.POSTGRESQL) {
        waitUntilSessionsGone(url);
      }
      long storedRounds = count(url, "SELECT COUNT(*) FROM simulation_rounds");
      long unfinished = count(url, "SELECT COUNT(*) FROM simulations WHERE status IN ('pending', 'running')");
      long childAnswers = CountingLlm.answersIn(answersFile);
      assertThat(storedRounds).isGreaterThanOrEqualTo(ROUNDS_BEFORE_KILL);
      assertThat(unfinished).as("the batch was killed mid-way").isPositive();
      // Answers received but not yet stored when the process died are lost; at most one per simulation in flight.
      assertThat(childAnswers).isBetween(storedRounds, storedRounds + CrashingWorkerMain.IN_FLIGHT);

      CountingLlm llm = new CountingLlm(SimulatedLlm.builder().seed(6).build(), null);
      try (JdbcRepository repo = JdbcRepository.builder().url(url).build();
          Cohort cohort = Cohort.builder().llm(llm).repository(repo).workerId("rescuer")
              .leaseDuration(CrashingWorkerMain.LEASE).resumeOnStart(true).build()) {
        Batch done = cohort.await(batchId, PATIENCE);

        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.counts().completed()).isEqualTo(CrashingWorkerMain.SIMULATIONS);
        List<Simulation> sims = new ArrayList<>();
        cohort.forEachSimulation(batchId, sims::add);
        assertThat(sims).extracting(Simulation::sequenceNumber)
            .containsExactlyElementsOf(IntStream.rangeClosed(1, CrashingWorkerMain.SIMULATIONS).boxed().toList());
        int turns = 2 * CrashingWorkerMain.ROUNDS;
        for (Simulation s : sims) {
          assertThat(s.turns()).extracting(Turn::turnNumber)
              .containsExactlyElementsOf(IntStream.rangeClosed(1, turns).boxed().toList());
        }
        long totalRounds = (long) CrashingWorkerMain.SIMULATIONS * CrashingWorkerMain.ROUNDS;
        assertThat(llm.answers()).as("rounds asked after the crash").isEqualTo(totalRounds - storedRounds);
        assertThat(sims).as("simulations the dead worker held were taken over")
            .anySatisfy(s -> assertThat(s.attempts()).isEqualTo(2));
      }
    } finally {
      database.dispose(url);
    }
  }

  private static String readBatchId(Process child) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(CrashingWorkerMain.BATCH_ID)) {
        return line.substring(CrashingWorkerMain.BATCH_ID.length()).strip();
      }
    }
    throw new AssertionError("the worker process ended before creating its batch (exit " + child.waitFor() + ")");
  }

  private static void waitForRounds(String url, int rounds, Process child) {
    await("the worker process to store " + rounds + " rounds").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          if (count(url, "SELECT COUNT(*) FROM simulation_rounds") >= rounds) {
            return true;
          }
          assertThat(child.isAlive()).as("worker process alive").isTrue();
          return false;
        });
  }

  private static void waitUntilSessionsGone(String url) {
    await("PostgreSQL to drop the dead worker's sessions").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> count(url, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'doomed-worker'") == 0);
  }

  private static long count(String url, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
