package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large batch with many simulations in flight and a model that takes its time completes in a
 * process whose heap is capped: results go to the store as they finish instead of piling up, and
 * a slow model holds no more than the in-flight simulations in memory.
 */
class LoadTest {
  @TempDir Path dir;

  @Test
  void twentyThousandSimulationsWithFiveHundredInFlightCompleteInA256MiBHeap() throws Exception {
    runInChildJvm(20_000, 500, "256m");
  }

  @Tag("reliability-long")
  @Test
  void aHundredThousandSimulationsWithTwoThousandInFlightCompleteInA512MiBHeap() throws Exception {
    runInChildJvm(100_000, 2_000, "512m");
  }

  private void runInChildJvm(int simulations, int inFlight, String heap) throws Exception {
    Path stderr = dir.resolve("load.stderr");
    Process child = ChildJvm.start(List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"), LoadMain.class,
        List.of(dir.resolve("load.db").toString(), Integer.toString(simulations), Integer.toString(inFlight)), stderr);
    String result = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(LoadMain.RESULT)) {
          result = line.substring(LoadMain.RESULT.length());
        }
      }
    }
    assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("load process ended").isTrue();
    assertThat(child.exitValue()).as("exit code of the load process; its standard error:%n%s", tail(stderr)).isZero();
    assertThat(result).as("load result").isNotNull()
        .contains("status=completed", "completed=" + simulations + " ", "failed=0 ");
    System.out.println("load with -Xmx" + heap + ": " + result);
  }

  private static String tail(Path file) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
