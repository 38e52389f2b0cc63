package dev.cohort.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This JVM's CPU time by kind of thread, from {@code /proc/self/task} (Linux): what JFR's
 * execution samples do not show (JIT compiler and GC threads, time in the kernel parking and
 * waking threads). A snapshot of clock ticks per kind, the process's user and system ticks, and
 * the context switches of all its live threads; {@link #minus} gives what a stretch of a run cost.
 *
 * @param ticks clock ticks of user and system time per kind of thread, in {@link #KINDS} order;
 *     threads that ended before the snapshot are not in it, so the kinds add up to less than the
 *     process's total when threads ended in between
 * @param userTicks the process's user time, all threads, ended ones included
 * @param systemTicks the process's system (kernel) time, all threads, ended ones included
 * @param contextSwitches voluntary and involuntary context switches of the live threads
 */
record ThreadCpu(long[] ticks, long userTicks, long systemTicks, long contextSwitches) {
  /** The kinds of threads, by the start of their name ({@code comm}: at most 15 characters). */
  static final List<String> KINDS = List.of("simulations", "coordinator", "heartbeat", "JIT", "GC", "VM", "other");

  private static String kind(String comm) {
    if (comm.startsWith("cohort-simulati")) {
      return "simulations";
    }
    if (comm.startsWith("cohort-batch-")) {
      return "coordinator";
    }
    if (comm.startsWith("cohort-heartbea")) {
      return "heartbeat";
    }
    if (comm.startsWith("C1 ") || comm.startsWith("C2 ")) {
      return "JIT";
    }
    if (comm.startsWith("GC ") || comm.startsWith("G1 ")) {
      return "GC";
    }
    if (comm.startsWith("VM ")) {
      return "VM";
    }
    return "other";
  }

  /** Reads the counters now; zeros where {@code /proc} is not there. */
  static ThreadCpu now() {
    long[] ticks = new long[KINDS.size()];
    long switches = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          long[] times = times(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII));
          String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
          ticks[KINDS.indexOf(kind(comm))] += times[0] + times[1];
          for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              switches += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
        } catch (IOException ended) {
          // The thread ended while it was read: its time is in the process's total only.
        }
      }
      long[] process = times(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII));
      return new ThreadCpu(ticks, process[0], process[1], switches);
    } catch (IOException e) {
      return new ThreadCpu(ticks, 0, 0, 0);
    }
  }

  /** utime and stime of a {@code stat} line. */
  private static long[] times(String stat) {
    // After "pid (comm) ": field 3 (state) is at index 0, so field n is at index n - 3.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3])};
  }

  /** What happened between {@code earlier} and this snapshot. */
  ThreadCpu minus(ThreadCpu earlier) {
    long[] d = new long[ticks.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = ticks[i] - earlier.ticks[i];
    }
    return new ThreadCpu(d, userTicks - earlier.userTicks, systemTicks - earlier.systemTicks,
        contextSwitches - earlier.contextSwitches);
  }

  /** Microseconds of CPU per kind per {@code rounds}, plus "ended" (what the kinds miss), in order. */
  Map<String, Double> microsPerRound(long rounds, long ticksPerSecond) {
    Map<String, Double> out = new LinkedHashMap<>();
    double micros = 1e6 / ticksPerSecond / rounds;
    long sum = 0;
    for (int i = 0; i < KINDS.size(); i++) {
      // Below zero when threads of that kind ended in between: their time is in "ended".
      long kind = Math.max(0, ticks[i]);
      out.put(KINDS.get(i), kind * micros);
      sum += kind;
    }
    out.put("ended", Math.max(0, userTicks + systemTicks - sum) * micros);
    return out;
  }
}
