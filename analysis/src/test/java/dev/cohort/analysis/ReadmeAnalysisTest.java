package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example of README.md's "Analysing a batch" section, as written there. */
class ReadmeAnalysisTest {
  @TempDir
  Path dir;

  @Test
  void readmeExampleAnalysesAndReportsABatch() throws IOException {
    try (Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create()).build()) {
      cohort.saveEntities(List.of(
          new Entity("e1-ada", "Ada", null, Map.of("party", "green")),
          new Entity("e2-boris", "Boris", null, Map.of("party", "green")),
          new Entity("e3-chiara", "Chiara", null, Map.of("party", "blue")),
          new Entity("e4-devraj", "Devraj", null, Map.of("party", "blue"))));
      List<DeclaredOutcome> outcomes = List.of(
          DeclaredOutcome.bool("agreed", "Did the group agree on what the town should do?"),
          DeclaredOutcome.oneOf("stance", "What is this participant's final stance on the bridge?",
              "for", "against", "undecided").perParticipant());

      // --- README example ---
      Batch batch = cohort.run(BatchRequest.builder()
          .name("Bridge town hall")
          .context("A town hall meeting about building a bicycle bridge over the river.")
          .entityIds("e1-ada", "e2-boris", "e3-chiara", "e4-devraj")
          .interactionSize(2).numSimulations(6).replicates(3).nTurns(4)
          .outcomes(outcomes)
          .build());
      Analysis analysis = CohortAnalysis.analyze(cohort, batch.id());   // flagged simulations left out
      Analysis.OutcomeAnalysis agreed = analysis.outcome("agreed").orElseThrow();
      Analysis.Summary share = agreed.summary();                        // n, mean = share agreeing, Wilson CI
      System.out.printf("agreed: %.2f [%.2f, %.2f] of %d%n", share.mean(), share.ciLow(), share.ciHigh(), share.n());
      for (Analysis.EntityEffect e : agreed.entityEffects()) {           // largest effect first
        System.out.printf("%s: %+.2f, Holm p %.3f%n", e.entityName(), e.difference(), e.pHolm());
      }
      try (OutputStream out = Files.newOutputStream(dir.resolve("report.html"))) {
        CohortAnalysis.report(cohort, batch.id(), out);                  // one self-contained HTML page
      }
      // --- end ---

      assertThat(share.n()).isEqualTo(analysis.analysed()).isPositive();
      assertThat(agreed.entityEffects()).hasSize(4);
      assertThat(agreed.icc()).isNotNull();
      assertThat(agreed.composition()).extracting(Analysis.CompositionEffect::value).containsExactly("green", "blue");
      assertThat(Files.readString(dir.resolve("report.html"))).startsWith("<!DOCTYPE html>");
    }
  }
}
