package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.SimulationStatus;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Worker processes are killed with SIGKILL at seeded random moments of a batch, twice per run,
 * and a new process resumes each time; a last one finishes the batch. Every simulation completes
 * exactly once with a whole transcript, and the model is never asked again for a round that was
 * stored: the only repeated calls are answers a killed process received but had not stored yet,
 * at most one per simulation it had in flight.
 */
class WorkerCrashTest {
  private static final int KILLS_PER_RUN = 2;
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final long TOTAL_ROUNDS = (long) WorkerMain.SIMULATIONS * WorkerMain.ROUNDS;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Store.class, names = {"SQLITE", "POSTGRESQL"})
  void killedWorkersAreResumedWithNothingLostDuplicatedOrReasked(Store store) throws Exception {
    for (int run = 0; run < 2; run++) {
      crashAndResume(store, 7_000L + run);
    }
  }

  @Tag("reliability-long")
  @ParameterizedTest(name = "{0}, 10 runs")
  @EnumSource(value = Store.class, names = {"SQLITE", "POSTGRESQL"})
  void tenRunsOfKilledWorkersLoseAndDuplicateNothing(Store store) throws Exception {
    for (int run = 0; run < 10; run++) {
      crashAndResume(store, 9_000L + run);
    }
  }

  private void crashAndResume(Store store, long seed) throws Exception {
    Random random = new Random(seed);
    String url = store.newUrl(dir);
    String batchId = "create";
    long storedBefore = 0;
    for (int kill = 0; kill < KILLS_PER_RUN; kill++) {
      String worker = "doomed-" + seed + "-" + kill;
      Path answers = dir.resolve(worker + ".answers");
      long remaining = TOTAL_ROUNDS - storedBefore;
      if (remaining < 2) {
        // The previous worker stored all but one round before its kill landed (a busy machine): a
        // worker killed now would have to store a round and leave one, and there is only one left.
        break;
      }
      // The worker's model answers all but one of the rounds left, at most: it cannot end the batch
      // before the kill, however late the kill comes on a busy machine.
      long answerLimit = remaining - 1;
      Process child = startWorker(store, url, batchId, answers, worker, answerLimit);
      long killAt = storedBefore + 1 + random.nextInt((int) Math.max(1, remaining / 2));
      try {
        batchId = ChildJvm.readLine(child, ChildJvm.output(child), WorkerMain.BATCH_ID, worker);
        ChildJvm.awaitCount("stored rounds", () -> storedRounds(url), killAt, child, dir.resolve(worker + ".stderr"),
            PATIENCE);
        // A random moment to kill at, so the kill lands anywhere in a round: counted in answers the
        // worker received beyond those it had stored by killAt, 0 to IN_FLIGHT of them.
        waitForAnswers(answers,
            Math.min(answerLimit, killAt - storedBefore + random.nextInt(WorkerMain.IN_FLIGHT + 1)), child);
      } finally {
        // Also when a wait fails: a worker left running would outlive the test, blocked on its model.
        child.destroyForcibly();
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("killed worker exited").isTrue();
      if (store == Store.POSTGRESQL) {
        waitUntilSessionsGone(url, worker);
      }
      long stored = storedRounds(url);
      long answered = AnswerLog.count(answers);
      assertThat(stored).as("rounds stored after kill %d of seed %d", kill, seed).isGreaterThanOrEqualTo(killAt);
      assertThat(answered).as("answers the killed worker %s received", worker)
          .isBetween(stored - storedBefore, stored - storedBefore + WorkerMain.IN_FLIGHT);
      storedBefore = stored;
    }

    String rescuer = "rescuer-" + seed;
    Path answers = dir.resolve(rescuer + ".answers");
    Process last = startWorker(store, url, batchId, answers, rescuer, Long.MAX_VALUE);
    BufferedReader output = ChildJvm.output(last);
    ChildJvm.readLine(last, output, WorkerMain.BATCH_ID, rescuer);
    assertThat(ChildJvm.readLine(last, output, WorkerMain.DONE, rescuer)).isEqualTo(BatchStatus.COMPLETED.wireName());
    assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).isZero();

    assertThat(AnswerLog.count(answers)).as("rounds asked by the process that finished (seed %d)", seed)
        .isEqualTo(TOTAL_ROUNDS - storedBefore);
    try (Store.Opened opened = store.open(url)) {
      StoredBatch batch = StoredBatch.read(opened.repository(), batchId).assertSettled();
      assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(WorkerMain.SIMULATIONS);
      assertThat(storedRounds(url)).as("round rows").isEqualTo(TOTAL_ROUNDS);
      assertThat(batch.simulations).as("a simulation a killed worker held was taken over")
          .anySatisfy(s -> assertThat(s.attempts()).isGreaterThan(1));
    }
  }

  private Process startWorker(Store store, String url, String batchId, Path answers, String worker, long answerLimit) {
    String childUrl = store == Store.POSTGRESQL ? url.replace("ApplicationName=reliability", "ApplicationName=" + worker)
        : url;
    return ChildJvm.start(List.of("-Xmx256m"), WorkerMain.class,
        List.of(childUrl, batchId, answers.toString(), worker, Long.toString(answerLimit)), dir.resolve(worker + ".stderr"));
  }

  private static long storedRounds(String url) {
    return Store.count(url, "SELECT COUNT(*) FROM simulation_rounds");
  }

  /** Waits until the worker has logged {@code count} answers, or has ended. */
  private static void waitForAnswers(Path answers, long count, Process child) {
    await("the worker to receive " + count + " answers").atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
        .until(() -> AnswerLog.count(answers) >= count || !child.isAlive());
  }

  /** After SIGKILL, PostgreSQL ends the dead worker's sessions; a transaction it had open then rolls back. */
  private static void waitUntilSessionsGone(String url, String worker) {
    await("PostgreSQL to drop the sessions of " + worker).atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
        .until(() -> Store.count(url,
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + worker + "'") == 0);
  }
}
