package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.Turn;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Role-play worker processes on SQLite are killed with SIGKILL mid-round, twice, and a new
 * process resumes each time; a last one finishes the batch. Each turn is stored as it completes,
 * so a resumed process continues at the exact turn: no process is ever asked for a (simulation,
 * turn) that was stored before it started, every turn of every simulation is stored once, and the
 * only turns asked twice are answers a killed process received but had not stored yet, at most one
 * per simulation it had in flight.
 */
class RoleplayCrashTest {
  private static final int KILLS = 2;
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void killedRoleplayWorkersResumeAtTheExactTurnAskingNoStoredTurnAgainAndLosingNone() throws Exception {
    Random random = new Random(1_717L);
    String url = Store.SQLITE.newUrl(dir);
    String batchId = "create";
    Set<String> storedBefore = Set.of();
    Map<String, Integer> asked = new HashMap<>();
    for (int kill = 0; kill < KILLS; kill++) {
      String worker = "doomed-" + kill;
      Path log = dir.resolve(worker + ".turns");
      Process child = start(url, batchId, log, worker);
      batchId = ChildJvm.readLine(child, ChildJvm.output(child), WorkerMain.BATCH_ID, worker);
      int killAt = storedBefore.size() + 1
          + random.nextInt(Math.max(1, (RoleplayWorkerMain.TOTAL_TURNS - storedBefore.size()) / 2));
      Path stderr = dir.resolve(worker + ".stderr");
      ChildJvm.awaitCount("stored turns", () -> storedTurnCount(url), killAt, child, stderr, PATIENCE);
      // Kill a random number of answers later (fewer than the turns in flight), so the kill lands
      // anywhere in a turn: between an answer and its store as well as between turns. Counted in
      // answers received, not timed, so a loaded machine moves the moment but not the spread.
      long answersThen = TurnLog.read(log).size();
      ChildJvm.awaitCount("answers received", () -> TurnLog.read(log).size(),
          answersThen + random.nextInt(WorkerMain.IN_FLIGHT), child, stderr, PATIENCE);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("killed worker exited").isTrue();

      Set<String> stored = storedTurns(url, batchId);
      List<String> answered = TurnLog.read(log);
      assertThat(stored).as("turns stored after kill %d", kill).hasSizeGreaterThanOrEqualTo(killAt)
          .containsAll(storedBefore);
      assertNothingStoredWasAskedAgain(answered, storedBefore, worker);
      Set<String> newlyStored = new HashSet<>(stored);
      newlyStored.removeAll(storedBefore);
      assertThat(new HashSet<>(answered)).as("the turns %s stored were asked by it", worker).containsAll(newlyStored);
      assertThat(answered.size()).as("answers %s received: its stored turns and at most one in flight each", worker)
          .isBetween(newlyStored.size(), newlyStored.size() + WorkerMain.IN_FLIGHT);
      answered.forEach(key -> asked.merge(key, 1, Integer::sum));
      storedBefore = stored;
    }

    Path log = dir.resolve("rescuer.turns");
    Process last = start(url, batchId, log, "rescuer");
    BufferedReader output = ChildJvm.output(last);
    ChildJvm.readLine(last, output, WorkerMain.BATCH_ID, "rescuer");
    assertThat(ChildJvm.readLine(last, output, WorkerMain.DONE, "rescuer")).isEqualTo(BatchStatus.COMPLETED.wireName());
    assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> answered = TurnLog.read(log);
    assertNothingStoredWasAskedAgain(answered, storedBefore, "rescuer");
    assertThat(answered).as("turns asked by the process that finished").doesNotHaveDuplicates()
        .hasSize(RoleplayWorkerMain.TOTAL_TURNS - storedBefore.size());
    answered.forEach(key -> asked.merge(key, 1, Integer::sum));

    Set<String> stored = storedTurns(url, batchId);
    assertThat(stored).as("every turn of every simulation, none lost").hasSize(RoleplayWorkerMain.TOTAL_TURNS);
    assertThat(asked.keySet()).isEqualTo(stored);
    List<String> askedTwice = asked.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .sorted().collect(Collectors.toList());
    assertThat(asked.values()).as("no turn asked more than twice").allMatch(n -> n <= 2);
    assertThat(askedTwice).as("turns asked again: only answers a killed worker had not stored")
        .hasSizeLessThanOrEqualTo(KILLS * WorkerMain.IN_FLIGHT);
    try (Store.Opened opened = Store.SQLITE.open(url)) {
      StoredBatch batch = StoredBatch.read(opened.repository(), batchId).assertSettled();
      assertThat(batch.batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.withStatus(SimulationStatus.COMPLETED)).hasSize(RoleplayWorkerMain.SIMULATIONS);
      assertThat(batch.simulations).as("a simulation a killed worker held was taken over mid-round")
          .anySatisfy(s -> assertThat(s.attempts()).isGreaterThan(1));
      for (Simulation s : batch.simulations) {
        StoredBatch.assertTurnsGapFree(s, RoleplayWorkerMain.TURNS);
      }
    }
  }

  private static void assertNothingStoredWasAskedAgain(List<String> answered, Set<String> storedBefore, String worker) {
    assertThat(answered).as("turns %s was asked for that were stored before it started", worker)
        .noneMatch(storedBefore::contains);
  }

  /** The (simulation, turn) keys of every stored turn, as {@link TurnLog} writes them. */
  private static Set<String> storedTurns(String url, String batchId) {
    try (Store.Opened opened = Store.SQLITE.open(url)) {
      StoredBatch batch = StoredBatch.read(opened.repository(), batchId);
      Map<String, String> names = new HashMap<>();
      for (Entity e : batch.batch.entities()) {
        names.put(e.id(), e.name());
      }
      Set<String> keys = new HashSet<>();
      for (Simulation s : batch.simulations) {
        List<String> order = new ArrayList<>();
        s.speakingOrder().forEach(id -> order.add(names.get(id)));
        for (Turn t : s.turns()) {
          assertThat(keys.add(TurnLog.key(order, t.turnNumber()))).as("turn stored once").isTrue();
        }
      }
      return keys;
    }
  }

  private static long storedTurnCount(String url) {
    return Store.count(url, "SELECT COALESCE(SUM(json_array_length(turns)), 0) FROM simulation_rounds");
  }

  private Process start(String url, String batchId, Path log, String worker) {
    return ChildJvm.start(List.of("-Xmx256m"), RoleplayWorkerMain.class, List.of(url, batchId, log.toString(), worker),
        dir.resolve(worker + ".stderr"));
  }
}
