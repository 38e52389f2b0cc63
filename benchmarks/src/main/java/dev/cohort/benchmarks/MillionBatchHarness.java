package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.http.CohortServer;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates one large batch on a fresh SQLite file and reports how long creating it took and how
 * much heap the JVM used meanwhile: the proof that planning and storing stream. Run it in a small
 * heap, directly through {@code Cohort.createBatch} or through the REST server on loopback:
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.MillionBatchHarness direct
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.MillionBatchHarness rest
 * </pre>
 *
 * <p>Optional arguments after the mode: simulations (default 1,000,000), pool size n (2,000) and
 * interaction size k (4). Peak heap is the sum of the heap pools' peaks during creation (an upper
 * bound); the batch's stored count is checked before anything is printed. Only creation is timed:
 * the runner starts on the batch afterwards and is stopped at once (one simulation in flight
 * against a slow simulated model, so it barely competes).
 */
public final class MillionBatchHarness {
  private MillionBatchHarness() {}

  /**
   * Runs the harness.
   *
   * @param args {@code direct} or {@code rest}, then optionally simulations, n and k
   * @throws IOException when the temporary database cannot be created
   * @throws InterruptedException when interrupted while waiting for the REST answer
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1 || !(args[0].equals("direct") || args[0].equals("rest"))) {
      System.err.println("usage: MillionBatchHarness direct|rest [simulations [n [k]]]");
      System.exit(2);
      return;
    }
    boolean rest = args[0].equals("rest");
    int simulations = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    run(rest, simulations, n, k, System.out);
  }

  static void run(boolean rest, int simulations, int n, int k, PrintStream out)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("cohort-million");
    Path file = dir.resolve("cohort.db");
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().repository(repository).maxInFlight(1)
            .llm(SimulatedLlm.builder().latency(Duration.ofSeconds(5)).build()).build()) {
      List<Entity> pool = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pool.add(new Entity(String.format(Locale.ROOT, "e%05d", i), "Person " + i, null, Map.of("index", i)));
      }
      cohort.saveEntities(pool);
      List<String> ids = pool.stream().map(Entity::id).toList();

      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      String batchId = rest ? createOverRest(cohort, ids, k, simulations) : cohort.createBatch(BatchRequest.builder()
          .name("A million").context("Benchmark").entityIds(ids).interactionSize(k).numSimulations(simulations)
          .seed(5L).build()).id();
      long nanos = System.nanoTime() - start;
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      Batch batch = cohort.getBatch(batchId);
      if (batch.counts().total() != simulations || batch.plannedSimulations() != simulations) {
        throw new IllegalStateException("stored " + batch.counts().total() + " simulations, planned "
            + batch.plannedSimulations() + ", wanted " + simulations);
      }
      out.printf(Locale.ROOT, "via\tsimulations\tn\tk\tseconds\tper_second\tpeak_heap_MiB\tmax_heap_MiB\tdb_MiB%n");
      out.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%.1f\t%.0f\t%d\t%d\t%d%n", rest ? "rest" : "direct", simulations, n, k,
          nanos / 1e9, simulations / (nanos / 1e9), peak >> 20, Runtime.getRuntime().maxMemory() >> 20,
          Files.size(file) >> 20);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Posts the batch to a REST server on loopback; returns its id. The server's plan-size cap is
   * raised to the request's size: its default is lower on this branch (see BENCHMARKS.md).
   */
  private static String createOverRest(Cohort cohort, List<String> ids, int k, int simulations)
      throws InterruptedException {
    CohortServer server = CohortServer.builder(cohort).port(0).build().start();
    try {
      String body = "{\"name\":\"A million\",\"context\":\"Benchmark\",\"entity_ids\":[\"" + String.join("\",\"", ids)
          + "\"],\"interaction_size\":" + k + ",\"num_simulations\":" + simulations + ",\"seed\":5}";
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
          .uri(URI.create(server.uri() + "/api/batch-simulations"))
          .timeout(Duration.ofMinutes(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
      }
      Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
      if (!id.find()) {
        throw new IllegalStateException("no id in " + response.body());
      }
      return id.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      server.stop();
    }
  }
}
