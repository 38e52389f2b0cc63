package dev.cohort.jdbc;

import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.port.ClaimedSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints how fast {@link JdbcRepository} stores and streams a large batch on SQLite (a file) and
 * PostgreSQL (the embedded test server, or {@value PostgresServer#ENV}). Run from the repository
 * root:
 *
 * <pre>
 * ./mvnw -B -q -pl adapters-jdbc -am install -DskipTests
 * ./mvnw -B -q -pl adapters-jdbc test-compile exec:exec -Dexec.skip=false -Dexec.classpathScope=test \
 *     -Dexec.executable=java -Dexec.args="-cp %classpath dev.cohort.jdbc.StorageThroughput"
 * </pre>
 */
public final class StorageThroughput {
  private static final int SIMULATIONS = 100_000;
  private static final int CLAIMED = 10_000;
  private static final int CLAIM_PAGE = 32;

  private StorageThroughput() {}

  /** Runs every measurement and prints one Markdown table row per database. */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("cohort-throughput");
    System.out.println("| database | insert " + SIMULATIONS + " simulations | stream them back | claim, record a round, finish "
        + CLAIMED + " (pages of " + CLAIM_PAGE + ") |");
    System.out.println("|---|---|---|---|");
    measure("SQLite (file, WAL)", "jdbc:sqlite:" + dir.resolve("throughput.db"));
    String pg = PostgresServer.freshSchemaUrl();
    try {
      measure("PostgreSQL " + serverVersion(pg), pg);
    } finally {
      TestDatabase.POSTGRESQL.dispose(pg);
    }
    System.exit(0);
  }

  private static void measure(String name, String url) {
    try (JdbcRepository repo = JdbcRepository.builder().url(url).build()) {
      repo.saveEntities(Fixture.ENTITIES);
      // A warm-up batch, so that the JIT and the database's caches are as in a long-running process.
      insert(repo, "warm-up", 20_000);
      stream(repo, "warm-up");

      long insertNanos = insert(repo, "measured", SIMULATIONS);
      long streamNanos = stream(repo, "measured");
      long claimNanos = claimAndFinish(repo, "measured");
      System.out.printf(Locale.ROOT, "| %s | %.2f s (%,.0f/s) | %.2f s (%,.0f/s) | %.2f s (%,.0f/s) |%n", name,
          seconds(insertNanos), SIMULATIONS / seconds(insertNanos),
          seconds(streamNanos), SIMULATIONS / seconds(streamNanos),
          seconds(claimNanos), CLAIMED / seconds(claimNanos));
    }
  }

  private static long insert(JdbcRepository repo, String id, int n) {
    List<Simulation> sims = Fixture.simulations(id, n);
    long start = System.nanoTime();
    repo.createBatch(Fixture.batch(id, n), sims.iterator());
    return System.nanoTime() - start;
  }

  private static long stream(JdbcRepository repo, String id) {
    AtomicLong count = new AtomicLong();
    long start = System.nanoTime();
    repo.forEachSimulation(id, s -> count.incrementAndGet());
    long nanos = System.nanoTime() - start;
    if (count.get() == 0) {
      throw new IllegalStateException("streamed nothing");
    }
    return nanos;
  }

  private static long claimAndFinish(JdbcRepository repo, String id) {
    long start = System.nanoTime();
    int done = 0;
    while (done < CLAIMED) {
      List<ClaimedSimulation> page = repo.claim(id, "bench", CLAIM_PAGE, Duration.ofMinutes(5));
      if (page.isEmpty()) {
        throw new IllegalStateException("nothing left to claim after " + done + " of " + CLAIMED);
      }
      for (ClaimedSimulation c : page) {
        repo.recordRound(c.lease(), Fixture.round(1));
        repo.finish(c.lease(), SimulationStatus.COMPLETED, null);
      }
      done += page.size();
    }
    return System.nanoTime() - start;
  }

  private static String serverVersion(String url) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(url)) {
      return c.getMetaData().getDatabaseProductVersion();
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
