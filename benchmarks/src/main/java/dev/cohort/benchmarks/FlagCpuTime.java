package dev.cohort.benchmarks;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.quality.SimulationFlagger;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the quality flags of one completed simulation ({@code SimulationFlagger.flags}, what
 * the runner computes once when it writes a simulation completed), measured on the thread that
 * runs it, for a machine too busy for wall-clock figures. Two transcripts: three rounds of
 * {@link CannedAnswers}' four turns (12 turns of about 90 characters, with thoughts), and
 * {@link CannedLlm}'s three one-turn rounds (what {@code MakespanHarness --model canned} flags).
 * Blocks of {@value #BLOCK} simulations: {@value #WARM_UP_BLOCKS} to warm up, then {@value
 * #MEASURED_BLOCKS} measured; prints the minimum and the median per simulation.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.cohort.benchmarks.FlagCpuTime
 * </pre>
 */
public final class FlagCpuTime {
  private static final int BLOCK = 1_000;
  private static final int WARM_UP_BLOCKS = 300;
  private static final int MEASURED_BLOCKS = 100;

  private FlagCpuTime() {}

  /**
   * Runs the measurement.
   *
   * @param args none
   */
  public static void main(String[] args) {
    measure("12 turns (3 rounds of CannedAnswers)", realistic());
    measure("3 turns (CannedLlm, MakespanHarness --model canned)", canned());
  }

  private static void measure(String label, List<Turn> turns) {
    List<String> ids = turns.stream().map(Turn::speakerId).distinct().toList();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] nanos = new long[MEASURED_BLOCKS];
    int flags = 0;
    for (int block = 0; block < WARM_UP_BLOCKS + MEASURED_BLOCKS; block++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < BLOCK; i++) {
        List<QualityFlag> found = SimulationFlagger.flags("English", ids, turns, 0);
        flags += found.size();
      }
      if (block >= WARM_UP_BLOCKS) {
        nanos[block - WARM_UP_BLOCKS] = threads.getCurrentThreadCpuTime() - start;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%s: CPU per simulation min %.2f us, median %.2f us (%d blocks of %d; %d flags)%n",
        label, nanos[0] / 1e3 / BLOCK, nanos[MEASURED_BLOCKS / 2] / 1e3 / BLOCK, MEASURED_BLOCKS, BLOCK,
        flags / (WARM_UP_BLOCKS + MEASURED_BLOCKS) / BLOCK);
  }

  private static List<Turn> realistic() {
    String[] lines = {
      "I take the bus every morning, and honestly the 7:40 is late more often than not.",
      "That matches what I hear at work; people would ride more if the timetable were reliable.",
      "Reliability first, then frequency. A bus every ten minutes changes how you plan your day.",
      "Agreed, though the council will ask who pays for it; maybe a trial on the busiest route?",
    };
    List<Turn> turns = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < lines.length; i++) {
        String id = i % 2 == 0 ? "p1" : "p2";
        turns.add(new Turn(round, turns.size() + 1, id, i % 2 == 0 ? "Amara Okafor" : "Ben Hartley",
            i % 2 == 0 ? "Keep it concrete." : "Find common ground.",
            lines[i] + String.format(Locale.ROOT, " (%d.%d)", round, i)));
      }
    }
    return turns;
  }

  private static List<Turn> canned() {
    List<Turn> turns = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      turns.add(new Turn(round, round, "p1", CannedLlm.SPEAKER, "Keep it concrete.",
          "I take the bus every morning, and the 7:40 is late more often than not; a reliable timetable would"
              + " change how people plan their day (" + round + ")."));
    }
    return turns;
  }
}
