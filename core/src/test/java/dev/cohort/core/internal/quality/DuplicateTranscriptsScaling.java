package dev.cohort.core.internal.quality;

import java.util.Random;

/**
 * Measures {@link DuplicateTranscripts} on batches of growing size (BENCHMARKS.md, "Quality flags:
 * duplicate transcripts"): transcripts of 300 words drawn from a small vocabulary, every 100th a
 * copy of one transcript. Run with {@code java -cp core/target/classes:core/target/test-classes
 * dev.cohort.core.internal.quality.DuplicateTranscriptsScaling 10000 100000}.
 */
public final class DuplicateTranscriptsScaling {
  private DuplicateTranscriptsScaling() {}

  public static void main(String[] args) {
    for (String arg : args) {
      int n = Integer.parseInt(arg);
      Random random = new Random(n);
      String copied = DuplicateTranscriptsTest.randomText(random, 300);
      DuplicateTranscripts finder = DuplicateTranscripts.create();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String text = i % 100 == 0 ? copied : DuplicateTranscriptsTest.randomText(random, 300);
        finder.add("s" + i, Turns.of(text));
      }
      long signed = System.nanoTime();
      int found = finder.duplicates().size();
      long done = System.nanoTime();
      System.out.printf("n=%d sign=%.2fs bucket+check=%.2fs checks=%d duplicates=%d (expected %d)%n", n,
          (signed - start) / 1e9, (done - signed) / 1e9, finder.checks(), found, (n + 99) / 100);
    }
  }
}
