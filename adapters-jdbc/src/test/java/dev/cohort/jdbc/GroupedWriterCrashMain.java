package dev.cohort.jdbc;

import dev.cohort.core.port.ClaimedSimulation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The writing process of {@link GroupedWriterCrashTest}: claims every simulation of a new batch on
 * the given SQLite file and records their rounds from many threads at once, so that the writes
 * are grouped, printing {@value #DURABLE} with the simulation and round after each write the store
 * said it holds, until the test kills it.
 *
 * <p>Arguments: JDBC URL.
 */
public final class GroupedWriterCrashMain {
  static final String DURABLE = "durable ";
  static final String READY = "claimed";
  static final int SIMULATIONS = 3_000;
  static final int ROUNDS = 3;
  static final int THREADS = 64;

  private GroupedWriterCrashMain() {}

  /** Runs until killed (or, should the test be slow to kill it, until every round is written). */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    JdbcRepository repo = JdbcRepository.builder().url(args[0]).build();
    repo.saveEntities(Fixture.ENTITIES);
    repo.createBatch(Fixture.batch("crash", SIMULATIONS), Fixture.simulations("crash", SIMULATIONS).iterator());
    List<ClaimedSimulation> claimed = repo.claim("crash", "writer", SIMULATIONS, Duration.ofHours(1));
    out.println(READY);
    out.flush();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int first = t;
      threads.execute(() -> {
        for (int round = 1; round <= ROUNDS; round++) {
          for (int i = first; i < claimed.size(); i += THREADS) {
            ClaimedSimulation c = claimed.get(i);
            if (repo.recordRound(c.lease(), Fixture.round(round))) {
              synchronized (out) {
                out.println(DURABLE + c.simulation().id() + " " + round);
                out.flush();
              }
            }
          }
        }
      });
    }
    threads.shutdown();
    threads.awaitTermination(1, TimeUnit.HOURS);
  }
}
