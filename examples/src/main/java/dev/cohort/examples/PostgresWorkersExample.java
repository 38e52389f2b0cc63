package dev.cohort.examples;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three workers share one PostgreSQL database, as three processes on three machines would: each
 * has its own {@link Cohort} and connection pool. The first creates a batch; the others join it
 * with {@code resume}; simulations are claimed under leases, so each runs exactly once, and the
 * example prints how many each worker ran. ({@code cohort worker --db URL} is the same thing from
 * the command line.)
 *
 * <p>Needs a PostgreSQL database whose JDBC URL is in {@value #URL_VARIABLE}, for example
 * {@code jdbc:postgresql://localhost:5432/cohort?user=cohort&password=secret}; the schema is created
 * on first use. Without it, the example says so and exits with status 2.
 *
 * <pre>
 * COHORT_POSTGRES_URL='jdbc:postgresql://localhost:5432/cohort?user=cohort&amp;password=secret' \
 *   ./mvnw -q -pl examples -am install -DskipTests exec:java -Dexec.mainClass=dev.cohort.examples.PostgresWorkersExample
 * </pre>
 */
public final class PostgresWorkersExample {
  /** The environment variable holding the database's JDBC URL. */
  public static final String URL_VARIABLE = "COHORT_POSTGRES_URL";

  private static final int WORKERS = 3;

  private PostgresWorkersExample() {}

  /** Runs the example against the database in {@value #URL_VARIABLE}. */
  public static void main(String[] args) {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      System.err.println("PostgresWorkersExample needs a PostgreSQL database: set " + URL_VARIABLE
          + " to its JDBC URL, such as jdbc:postgresql://localhost:5432/cohort?user=cohort&password=secret");
      System.exit(2);
    }
    run(url);
  }

  /** Runs the batch on {@code url} with three workers and prints who ran what. */
  static void run(String url) {
    Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    List<JdbcRepository> repositories = new ArrayList<>();
    List<Cohort> workers = new ArrayList<>();
    try {
      for (int i = 1; i <= WORKERS; i++) {
        String name = "worker-" + i;
        ran.put(name, new AtomicInteger());
        JdbcRepository repository = JdbcRepository.builder().url(url).build();
        repositories.add(repository);
        workers.add(Cohort.builder()
            .llm(SimulatedLlm.builder().latency(Duration.ofMillis(40)).build())
            .repository(repository)
            .workerId(name)
            .maxInFlight(4)
            .progressListener(new ProgressListener() {
              @Override
              public void simulationCompleted(Simulation simulation) {
                ran.get(name).incrementAndGet();
              }
            })
            .build());
      }
      Cohort first = workers.get(0);
      first.saveEntities(SamplePanel.entities());
      Batch batch = first.createBatch(SamplePanel.request("Climate panel on PostgreSQL", 15));
      System.out.println("Batch simulation ID: " + batch.id());
      for (Cohort other : workers.subList(1, workers.size())) {
        other.resume(batch.id());
      }
      Batch done = first.await(batch.id());
      System.out.println("Status: " + done.status().wireName() + ", " + done.counts().completed() + " of "
          + done.counts().total() + " simulations completed");
      new TreeMap<>(ran).forEach((name, count) -> System.out.println("  " + name + " ran " + count + " simulations"));
    } finally {
      workers.forEach(Cohort::close);
      repositories.forEach(JdbcRepository::close);
    }
  }
}
