package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchCounts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bar fits the terminal: no redraw is wider than it, so each one overwrites the last in place. */
class ProgressBarWidthTest {
  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {80, 60, 40})
  void everyRedrawFitsTheTerminalWithFailuresShown(int columns) {
    StringWriter text = new StringWriter();
    ProgressView bar = ProgressView.bar(new PrintWriter(text), columns);

    bar.update(new BatchCounts(2_400, 32, 0, 0, 0));
    bar.update(new BatchCounts(1_900, 32, 480, 20, 0));
    bar.update(new BatchCounts(400, 32, 1_847, 153, 0));
    String beforeFinish = text.toString();
    bar.finish();

    assertThat(beforeFinish).as("redraws stay on one line").doesNotContain("\n");
    List<String> redraws = Arrays.stream(text.toString().split("\r")).filter(s -> !s.isEmpty())
        .map(s -> s.replace("\u001b[K", "").replace("\n", "")).toList();
    assertThat(redraws).hasSize(3).allSatisfy(line -> assertThat(line.length())
        .as("'%s' in %d columns", line, columns).isLessThan(columns));
    assertThat(redraws.get(2)).contains("2000/2432", "failed 153");
    if (columns >= 60) {
      assertThat(redraws.get(2)).contains("running 32");
    }
  }

  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {80, 60})
  void theEstimateGoesFirstThenTheRateThenTheBarShrinks(int columns) {
    StringWriter text = new StringWriter();
    ProgressView bar = ProgressView.bar(new PrintWriter(text), columns);

    bar.update(new BatchCounts(2_400, 32, 0, 0, 0));
    bar.update(new BatchCounts(400, 32, 1_847, 153, 0));

    String last = text.toString().substring(text.toString().lastIndexOf('\r') + 1).replace("\u001b[K", "");
    assertThat(last).doesNotContain("ETA").startsWith("[#");
    if (columns == 60) {
      assertThat(last).doesNotContain("/s");
    }
  }

  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {200})
  void aWideTerminalShowsEverything(int columns) {
    StringWriter text = new StringWriter();
    ProgressView bar = ProgressView.bar(new PrintWriter(text), columns);

    bar.update(new BatchCounts(2_400, 32, 0, 0, 0));
    bar.update(new BatchCounts(400, 32, 1_847, 153, 0));

    assertThat(text.toString()).contains("[###################-----] 2000/2432", "/s", "ETA ");
  }

  @org.junit.jupiter.api.Test
  void cancelledSimulationsAreShownAsSuchNotAsDone() {
    StringWriter text = new StringWriter();
    ProgressView bar = ProgressView.bar(new PrintWriter(text), 120);

    bar.update(new BatchCounts(0, 0, 2, 1, 7));

    String last = text.toString().replace("\r", "").replace("\u001b[K", "");
    assertThat(last).as("3 of 10 done, 7 cancelled").contains("3/10", "cancelled 7")
        .startsWith("[" + "#".repeat(7) + "-".repeat(17) + "]");
  }
}
