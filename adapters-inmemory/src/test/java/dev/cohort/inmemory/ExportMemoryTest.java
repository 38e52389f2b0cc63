package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.export.ExportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Exports a 200,000-simulation batch in every format inside a child JVM limited to a 256 MiB heap.
 * The JSON export alone is several times larger than that heap, so only an exporter that streams
 * finishes. Prints the probe's timings (see BENCHMARKS.md); asserts nothing about speed.
 */
class ExportMemoryTest {
  private static final int SIMULATIONS = 200_000;
  private static final Pattern EXPORT_LINE =
      Pattern.compile("export format=(\\w+) records=(\\d+) bytes=(\\d+) millis=(\\d+)");

  @Test
  void batchOf200000SimulationsExportsInEveryFormatUnder256MiBOfHeap() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // Surefire may start tests from a manifest-only jar; it names the real class path separately.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath,
        ExportMemoryProbe.class.getName(), Integer.toString(SIMULATIONS));
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    probe.getOutputStream().close();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean exited = probe.waitFor(5, TimeUnit.MINUTES);
    if (!exited) {
      probe.destroyForcibly();
    }
    System.out.print(output);

    assertThat(exited).as("probe finished").isTrue();
    assertThat(probe.exitValue()).as("probe exit code; output:%n%s", output).isZero();
    Map<String, Long> records = new TreeMap<>();
    List<Long> bytes = new ArrayList<>();
    Matcher line = EXPORT_LINE.matcher(output);
    while (line.find()) {
      records.put(line.group(1), Long.parseLong(line.group(2)));
      bytes.add(Long.parseLong(line.group(3)));
    }
    long turns = (long) SIMULATIONS * ExportMemoryProbe.TURNS * ExportMemoryProbe.ROUNDS;
    long participants = (long) SIMULATIONS * ExportMemoryProbe.GROUP_SIZE;
    assertThat(records).containsOnly(
        Map.entry(ExportFormat.JSON.wireName(), (long) SIMULATIONS),
        Map.entry(ExportFormat.CSV.wireName(), (long) SIMULATIONS),
        Map.entry(ExportFormat.JSONL.wireName(), (long) SIMULATIONS),
        Map.entry(ExportFormat.UTTERANCES_CSV.wireName(), turns),
        Map.entry(ExportFormat.UTTERANCES_JSONL.wireName(), turns),
        Map.entry(ExportFormat.PARTICIPANTS_CSV.wireName(), participants),
        Map.entry(ExportFormat.PARTICIPANTS_JSONL.wireName(), participants),
        // The manifest holds no simulation; it streams over all of them, in the same heap.
        Map.entry(ExportFormat.MANIFEST.wireName(), 0L));
    // The largest export is bigger than the whole heap: it cannot have been held in memory.
    assertThat(bytes.stream().mapToLong(Long::longValue).max().orElse(0)).isGreaterThan(256L << 20);
  }
}
