package dev.cohort.inmemory;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.export.BatchExporter;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.testkit.Entities;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Run in a child JVM by {@link ExportMemoryTest}: stores a completed batch of many simulations in
 * an {@link InMemoryRepository}, exports it in every format to a stream that only counts (after
 * exporting a 10,000-simulation batch to warm up the JIT), and prints one {@code export} line per
 * format with the records written, the time taken and the CPU time of the exporting thread. Under a
 * small heap it shows that exports stream: a buffering exporter runs out of memory.
 *
 * <p>Arguments: the number of simulations (default 200,000).
 */
public final class ExportMemoryProbe {
  /** Turns per round and rounds per simulation of the probe's batch. */
  static final int TURNS = 2;
  static final int ROUNDS = 2;
  /** Participants per simulation. */
  static final int GROUP_SIZE = 3;
  /** Simulations of the batch exported before the measured one. */
  private static final int WARM_UP = 10_000;
  /** Distinct combinations and transcripts the simulations cycle through. */
  private static final int VARIANTS = 100;

  // Shared text keeps the repository itself small, so the heap limit measures the exporter.
  private static final String[] TEXTS = {
      "I think the bridge would help the school run, but the budget has to come from somewhere, "
          + "and I would rather see the bus route fixed first.",
      "Cycling is already the quickest way into town; a bridge would make it safe for children, "
          + "which is what matters most to me.",
      "We tried something like this in 1998 and it went over budget twice. I need to see numbers "
          + "before I can say yes.",
      "Could we start with a temporary crossing and measure how many people actually use it?",
  };
  private static final String THOUGHT = "They will not like this, but someone has to say it.";

  private ExportMemoryProbe() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    InMemoryRepository repository = InMemoryRepository.create();
    String batchId = store(repository, "probe", count);
    String warmUpId = store(repository, "warm-up", WARM_UP);
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "loaded simulations=%d heapUsedMiB=%d heapMaxMiB=%d%n", count,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);

    BatchExporter exporter = BatchExporter.of(repository);
    // CPU time of this thread tells the exporter's cost apart from waiting for a busy machine's cores.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // A small batch first, so the timings measure compiled code rather than the JIT at work.
    for (ExportFormat format : ExportFormat.values()) {
      exporter.export(warmUpId, format, new CountingStream());
    }
    for (ExportFormat format : ExportFormat.values()) {
      CountingStream out = new CountingStream();
      long start = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      exporter.export(batchId, format, out);
      long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
      long millis = (System.nanoTime() - start) / 1_000_000;
      long records = format.isCsv() ? out.carriageReturns - 1 : out.sequenceNumbers;
      System.out.printf(Locale.ROOT, "export format=%s records=%d bytes=%d millis=%d cpuMillis=%d%n",
          format.wireName(), records, out.bytes, millis, cpuMillis);
    }
  }

  private static String store(InMemoryRepository repository, String batchId, int count) {
    List<Entity> pool = Entities.generated(50);
    repository.saveEntities(pool);
    List<String> poolIds = pool.stream().map(Entity::id).toList();
    BatchRequest request = BatchRequest.builder().name("Export probe")
        .context("A town hall meeting about building a new bicycle bridge over the river.")
        .entityIds(poolIds).interactionSize(GROUP_SIZE).numSimulations(count).nTurns(TURNS).simulationRounds(ROUNDS)
        .seed(1L).build();
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Batch batch = new Batch(batchId, BatchStatus.COMPLETED, request, count, count, pool, created, created,
        created.plusSeconds(3600), null, BatchCounts.EMPTY, TokenUsage.ZERO, List.of());
    // Simulations cycle through a few combinations and texts and share those values, so the store
    // stays small and the heap limit measures the exporter, which still renders and writes each one.
    List<List<String>> groups = new ArrayList<>(VARIANTS);
    List<List<Turn>> transcripts = new ArrayList<>(VARIANTS);
    for (int v = 0; v < VARIANTS; v++) {
      List<String> group = List.of(poolIds.get(v % 50), poolIds.get((v + 7) % 50), poolIds.get((v + 19) % 50));
      List<Turn> turns = new ArrayList<>(TURNS * ROUNDS);
      for (int t = 1; t <= TURNS * ROUNDS; t++) {
        String speaker = group.get((t - 1) % group.size());
        turns.add(new Turn((t - 1) / TURNS + 1, t, speaker, pool.get(poolIds.indexOf(speaker)).name(),
            t % 2 == 1 ? THOUGHT : null, TEXTS[(v + t) % TEXTS.length]));
      }
      groups.add(group);
      transcripts.add(List.copyOf(turns));
    }
    List<Simulation> simulations = new ArrayList<>(count);
    TokenUsage usage = new TokenUsage(900, 240, 512);
    for (int seq = 1; seq <= count; seq++) {
      int v = seq % VARIANTS;
      simulations.add(new Simulation(batchId + "-" + seq, batchId, seq, groups.get(v), groups.get(v),
          SimulationStatus.COMPLETED, transcripts.get(v), null, 1, usage, "probe-model", TURNS * ROUNDS,
          created, created, created.plusMillis(seq)));
    }
    repository.createBatch(batch, simulations.iterator());
    return batchId;
  }

  /**
   * Discards what it is given, counting bytes, carriage returns (one per CSV record, as the
   * probe's text has none) and occurrences of {@code "sequence_number":} (one per JSON
   * simulation or utterance).
   */
  private static final class CountingStream extends OutputStream {
    private static final byte[] KEY = "\"sequence_number\":".getBytes(StandardCharsets.US_ASCII);

    long bytes;
    long carriageReturns;
    long sequenceNumbers;
    private int matched;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
      int match = matched;
      for (int i = offset; i < offset + length; i++) {
        byte b = buffer[i];
        if (b == '\r') {
          carriageReturns++;
        }
        // The key's first byte does not recur in it, so a mismatch can restart matching at this byte.
        if (b == KEY[match]) {
          match++;
          if (match == KEY.length) {
            sequenceNumbers++;
            match = 0;
          }
        } else {
          match = b == KEY[0] ? 1 : 0;
        }
      }
      matched = match;
      bytes += length;
    }
  }
}
