package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MillionBatchHarnessTest {

  /** A small batch through each path: the harness checks the stored count before it prints a row. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void createsTheWholeBatchAndReportsOneRow(boolean rest) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MillionBatchHarness.run(rest, 2_500, 40, 3, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).startsWith((rest ? "rest" : "direct") + "\t2500\t40\t3\t");
  }
}
