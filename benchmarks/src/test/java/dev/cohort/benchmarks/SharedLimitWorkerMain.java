package dev.cohort.benchmarks;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.jdbc.JdbcRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker of {@link SharedLimitHarness} in a JVM of its own, so that the harness can kill it
 * with SIGKILL: it joins the batch, says so once it has completed a simulation (so it has paced
 * calls under its share of the limit), and runs until it is killed.
 */
final class SharedLimitWorkerMain {
  private static final String COMPLETED_ONE = "COMPLETED ONE";

  private SharedLimitWorkerMain() {}

  /** Arguments: store URL, provider base URL, worker id, batch id, then {@link SharedLimitHarness.Settings} fields. */
  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String baseUrl = args[1];
    String workerId = args[2];
    String batchId = args[3];
    SharedLimitHarness.Settings settings = new SharedLimitHarness.Settings(3, Long.parseLong(args[4]),
        Boolean.parseBoolean(args[5]), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0,
        Integer.parseInt(args[6]), Duration.ofMillis(Long.parseLong(args[7])), true);
    CountDownLatch completedOne = new CountDownLatch(1);
    JdbcRepository repository = JdbcRepository.builder().url(url).build();
    Cohort worker = SharedLimitHarness.worker(repository, baseUrl, workerId, settings, new ProgressListener() {
      @Override
      public void simulationCompleted(Simulation simulation) {
        completedOne.countDown();
      }
    });
    worker.resume(batchId);
    completedOne.await();
    System.out.println(COMPLETED_ONE);
    System.out.flush();
    // Runs until killed: the harness never lets it end otherwise.
    new CountDownLatch(1).await();
  }

  /**
   * Starts the worker {@code workerId} on {@code batchId} in a JVM of its own and waits until it has
   * completed a simulation.
   *
   * @throws IllegalStateException when it ends, or completes none within two minutes
   */
  static Process start(String url, String baseUrl, String workerId, SharedLimitHarness.Settings settings,
      String batchId) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("shared-limit-worker", ".log");
    Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), SharedLimitWorkerMain.class.getName(), url,
        baseUrl, workerId, batchId, Long.toString(settings.rpm()), Boolean.toString(settings.told()),
        Integer.toString(settings.concurrency()), Long.toString(settings.heartbeat().toMillis())))
        .redirectError(stderr.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals(COMPLETED_ONE)) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      if (!ready.get(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the worker's JVM ended (exit " + child.waitFor() + ") before it completed"
            + " a simulation; its standard error: " + Files.readString(stderr));
      }
      return child;
    } catch (ExecutionException | TimeoutException e) {
      child.destroyForcibly();
      throw new IllegalStateException("the worker's JVM completed no simulation within two minutes; its standard"
          + " error is in " + stderr, e);
    }
  }
}
