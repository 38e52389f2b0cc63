package dev.cohort.reliability;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process of {@link LoadTest}: runs one large batch on a SQLite file with a simulated model
 * that takes 20 to 100 ms per call, under the heap limit the test gave it, and prints the final
 * counts and the peak heap use. It dies (exit code 3) if the heap runs out.
 *
 * <p>Arguments: SQLite file, number of simulations, simulations in flight.
 */
public final class LoadMain {
  static final String RESULT = "load-result ";

  private LoadMain() {}

  /** Runs the batch to its end. */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int simulations = Integer.parseInt(args[1]);
    int inFlight = Integer.parseInt(args[2]);
    SimulatedLlm llm = SimulatedLlm.builder().seed(12).latency(Duration.ofMillis(20), Duration.ofMillis(100)).build();
    try (JdbcRepository repository = JdbcRepository.sqlite(file);
        Cohort cohort = Cohort.builder().llm(llm).repository(repository).maxInFlight(inFlight).build()) {
      cohort.saveEntities(Entities.generated(100));
      Batch done = cohort.run(BatchRequest.builder()
          .name("load")
          .context("A citizens' assembly on the future of the high street.")
          .entityIds(Entities.generated(100).stream().map(e -> e.id()).toList())
          .interactionSize(3)
          .numSimulations(simulations)
          .nTurns(2)
          .seed(13L)
          .build());
      System.out.println(RESULT + "status=" + done.status().wireName() + " completed=" + done.counts().completed()
          + " failed=" + done.counts().failed() + " calls=" + llm.calls() + " peakHeapMiB=" + peakHeapMiB());
    }
  }

  private static long peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024 * 1024);
  }
}
