package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.TokenUsage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** How the command line shows a batch's cost: dollars, or unknown with the model and the fix, never $0. */
class CostTextTest {
  private static Batch batch(@Nullable String model, @Nullable Double cost) {
    BatchRequest request = BatchRequest.builder().name("n").context("c").entityIds("a", "b").interactionSize(2)
        .numSimulations(1).seed(1L).llm(new LlmOptions(model, null, null)).build();
    return new Batch("b1", BatchStatus.COMPLETED, request, 1, 1, List.of(Entity.of("a", "A", null),
        Entity.of("b", "B", null)), Instant.EPOCH, null, null, null, new BatchCounts(0, 0, 1, 0, 0),
        new TokenUsage(1000, 200, 0, 2), List.of(), cost);
  }

  @Test
  void dollarsAreShownWithCentsFromOneDollarAndFourDecimalsBelow() {
    assertThat(Formats.usd(1.234)).isEqualTo("$1.23");
    assertThat(Formats.usd(1234.5)).isEqualTo("$1,234.50");
    assertThat(Formats.usd(0.00123)).isEqualTo("$0.0012");
    assertThat(Formats.usd(0)).isEqualTo("$0.00");
  }

  @Test
  void anUnknownCostNamesTheModelAndThePricesFlag() {
    assertThat(BatchText.cost(batch("mystery-1", null)))
        .isEqualTo("cost unknown (no price for mystery-1; see --prices)");
    assertThat(BatchText.cost(batch("gpt-4o-mini", 1.5))).isEqualTo("$1.50");
  }

  @Test
  void theSummaryAndTheDetailsPrintTheCost() {
    StringWriter summary = new StringWriter();
    BatchText.summary(new PrintWriter(summary), batch("gpt-4o-mini", 1.234), Duration.ofSeconds(3), "", null);
    StringWriter details = new StringWriter();
    BatchText.details(new PrintWriter(details), batch("mystery-1", null));

    assertThat(summary.toString()).contains("Cost: $1.23");
    assertThat(details.toString()).contains("Cost: cost unknown (no price for mystery-1; see --prices)");
  }
}
