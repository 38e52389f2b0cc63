package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * 100,000 simulations, each with a transcript, analysed and reported in one pass. The module's tests
 * run with a 256 MiB heap (see its POM), so finishing at all proves the analysis holds no
 * transcripts; the report must stay under 5 MB.
 */
class ScaleTest {
  private static final int SIMULATIONS = 100_000;
  private static final int POOL = 80;

  @Test
  void hundredThousandSimulationsAreAnalysedAndReportedInBoundedMemoryAndSize() {
    List<Entity> pool = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < POOL; i++) {
      Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
      attributes.put("party", i % 3 == 0 ? "A" : "B");
      pool.add(new Entity("e" + i, "Person " + i, null, attributes));
      ids.add("e" + i);
    }
    BatchRequest request = BatchRequest.builder().name("Scale").context("A large panel").entityIds(ids)
        .interactionSize(3).numSimulations(SIMULATIONS).nTurns(4).seed(1L).outcomes(List.of(
            DeclaredOutcome.number("score", "A score", null, null), DeclaredOutcome.bool("agreed", "Agreed?"),
            DeclaredOutcome.integer("stance", "Stance", 1, 7).perParticipant(),
            DeclaredOutcome.entity("leader", "Who led?"))).build();
    Instant at = Instant.parse("2026-11-30T10:00:00Z");
    Batch batch = new Batch("scale", BatchStatus.COMPLETED, request, SIMULATIONS, SIMULATIONS, pool, at, at, at, null,
        new BatchCounts(0, 0, SIMULATIONS, 0, 0), TokenUsage.ZERO, List.of(), 0.0, Map.of(QualityFlag.REFUSAL, 1000L));
    AnalysisOptions options = AnalysisOptions.defaults();
    BatchAnalyzer analyzer = new BatchAnalyzer(batch, options);
    ReportSamples samples = new ReportSamples(batch, false);
    SplittableRandom random = new SplittableRandom(7);
    String filler = "word ".repeat(60);
    long start = System.nanoTime();
    for (int seq = 1; seq <= SIMULATIONS; seq++) {
      List<String> group = new ArrayList<>();
      while (group.size() < 3) {
        String id = ids.get(random.nextInt(POOL));
        if (!group.contains(id)) {
          group.add(id);
        }
      }
      List<Turn> turns = new ArrayList<>();
      for (int t = 1; t <= 4; t++) {
        String speaker = group.get((t - 1) % 3);
        turns.add(new Turn(1, t, speaker, speaker, null, filler + seq));
      }
      Map<String, @Nullable Object> outcomes = new LinkedHashMap<>();
      outcomes.put("score", random.nextGaussian() + (group.contains("e0") ? 1 : 0));
      outcomes.put("agreed", random.nextBoolean());
      Map<String, Object> stance = new LinkedHashMap<>();
      group.forEach(id -> stance.put(id, 1 + random.nextInt(7)));
      outcomes.put("stance", stance);
      outcomes.put("leader", group.get(random.nextInt(3)));
      Simulation s = new Simulation("s" + seq, "scale", seq, group, group, SimulationStatus.COMPLETED, turns, null, 1,
          TokenUsage.ZERO, "m", 4, at, at, at, List.of(), 0.0, outcomes, null, null,
          seq % 100 == 0 ? List.of(QualityFlag.REFUSAL) : List.of(), null, null, null);
      analyzer.accept(s);
      samples.accept(s);
    }
    Analysis analysis = analyzer.result();
    CountingStream out = new CountingStream();
    HtmlReport.write(batch, analysis, samples, out);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("analysed and reported %d simulations in %.1f s; report %d bytes; heap max %d MiB%n",
        SIMULATIONS, seconds, out.bytes, Runtime.getRuntime().maxMemory() >> 20);

    assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(256L << 20);
    assertThat(analysis.analysed()).isEqualTo(SIMULATIONS - SIMULATIONS / 100);
    assertThat(analysis.excludedFlagged()).isEqualTo(SIMULATIONS / 100);
    assertThat(analysis.outcome("score").orElseThrow().entityEffects().get(0).entityId()).isEqualTo("e0");
    assertThat(out.bytes).isLessThan(5_000_000);
  }

  /** Counts what is written and keeps nothing. */
  private static final class CountingStream extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
