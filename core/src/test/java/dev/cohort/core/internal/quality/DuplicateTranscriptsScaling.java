package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;

/**
 * Measures {@link DuplicateTranscripts} on batches of growing size (BENCHMARKS.md, "Quality flags:
 * duplicate transcripts"): transcripts of 300 words drawn from a small vocabulary, every 100th a
 * copy of one transcript. Prints this thread's CPU time (the machine is shared, so wall time says
 * little), without the time spent making up the texts. Run with {@code java -cp
 * core/target/classes:core/target/test-classes
 * dev.cohort.core.internal.quality.DuplicateTranscriptsScaling 10000 100000}.
 */
public final class DuplicateTranscriptsScaling {
  private DuplicateTranscriptsScaling() {}

  public static void main(String[] args) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (String arg : args) {
      int n = Integer.parseInt(arg);
      Random random = new Random(n);
      String copied = DuplicateTranscriptsTest.randomText(random, 300);
      DuplicateTranscripts finder = DuplicateTranscripts.create();
      long signing = 0;
      for (int i = 0; i < n; i++) {
        List<Turn> turns = Turns.of(i % 100 == 0 ? copied : DuplicateTranscriptsTest.randomText(random, 300));
        long before = cpu.getCurrentThreadCpuTime();
        finder.add("s" + i, turns);
        signing += cpu.getCurrentThreadCpuTime() - before;
      }
      long before = cpu.getCurrentThreadCpuTime();
      int found = finder.duplicates().size();
      long bucketing = cpu.getCurrentThreadCpuTime() - before;
      System.gc();
      Runtime rt = Runtime.getRuntime();
      long heap = rt.totalMemory() - rt.freeMemory();
      System.out.printf("n=%d sign=%.2fs cpu bucket+check=%.2fs cpu checks=%d (pairwise would be %d)"
          + " duplicates=%d (expected %d) heap after=%.1f MiB (finder holds %d)%n", n, signing / 1e9,
          bucketing / 1e9, finder.checks(), (long) n * (n - 1) / 2, found, (n + 99) / 100, heap / 1048576.0,
          finder.size());
    }
  }
}
