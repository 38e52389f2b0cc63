package dev.cohort.analysis;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.ValidationException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Analyses and reports a stored batch read through a {@link Cohort}: the entry point of this
 * module. (It is not {@code Cohort.analyze(id)} because core does not depend on this module or on
 * its statistics library.)
 *
 * <pre>{@code
 * Analysis analysis = CohortAnalysis.analyze(cohort, batchId);
 * analysis.outcome("agreed").ifPresent(o -> System.out.println(o.summary()));
 * try (OutputStream out = Files.newOutputStream(Path.of("report.html"))) {
 *   CohortAnalysis.report(cohort, batchId, out);
 * }
 * }</pre>
 *
 * <p>Both read the batch's simulations once, streaming ({@link Cohort#forEachSimulation}), so a
 * batch of any size is analysed in memory that grows with its pool and its distinct groups, not
 * with its transcripts.
 */
public final class CohortAnalysis {
  /**
   * The Content-Security-Policy of the report: nothing loaded from anywhere, no script, only its
   * own inline styles (and data images). The page carries it in a meta tag; a server sending the
   * page should send it as a header too.
   */
  public static final String REPORT_CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

  private CohortAnalysis() {}

  /**
   * The analysis of the batch's declared outcomes, flagged simulations left out.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public static Analysis analyze(Cohort cohort, String batchId) {
    return analyze(cohort, batchId, AnalysisOptions.defaults());
  }

  /**
   * The analysis of the batch's declared outcomes as {@code options} say.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws ValidationException naming {@code outcome} when the options name an outcome the batch
   *     does not declare, or a free-text one
   */
  public static Analysis analyze(Cohort cohort, String batchId, AnalysisOptions options) {
    Objects.requireNonNull(cohort, "cohort");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(options, "options");
    Batch batch = cohort.getBatch(batchId);
    BatchAnalyzer analyzer = new BatchAnalyzer(batch, options);
    cohort.forEachSimulation(batchId, analyzer);
    return analyzer.result();
  }

  /**
   * Writes the batch's report, one self-contained HTML page (inline CSS and SVG, no script, no
   * external resource), to {@code out}, flagged simulations left out of the statistics. The stream
   * is flushed, not closed.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws UncheckedIOException when writing fails
   */
  public static void report(Cohort cohort, String batchId, OutputStream out) {
    report(cohort, batchId, AnalysisOptions.defaults(), out);
  }

  /**
   * Writes the batch's report with the statistics as {@code options} say; see {@link
   * #report(Cohort, String, OutputStream)}.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws ValidationException naming {@code outcome} when the options name an unknown outcome
   * @throws UncheckedIOException when writing fails
   */
  public static void report(Cohort cohort, String batchId, AnalysisOptions options, OutputStream out) {
    Objects.requireNonNull(cohort, "cohort");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
    Batch batch = cohort.getBatch(batchId);
    BatchAnalyzer analyzer = new BatchAnalyzer(batch, options);
    ReportSamples samples = new ReportSamples(batch, options.includeFlagged());
    cohort.forEachSimulation(batchId, s -> {
      analyzer.accept(s);
      samples.accept(s);
    });
    HtmlReport.write(batch, analyzer.result(), samples, out);
  }
}
