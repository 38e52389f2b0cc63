package dev.cohort.http;

import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.AnalysisOptions;
import dev.cohort.analysis.CohortAnalysis;
import dev.cohort.analysis.internal.AnalysisJson;
import dev.cohort.core.Cohort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /api/batch-simulations/{id}/analysis?outcome=NAME&include_flagged=true}: the batch's
 * {@link Analysis} as JSON in the usual envelope; {@code GET /api/batch-simulations/{id}/report}
 * (same parameters): the HTML report, sent with a {@code Content-Security-Policy} that lets the page
 * load nothing from anywhere and run no script. 400 for an unknown outcome, 404 for an unknown batch.
 */
final class AnalysisRoutes {
  private final Cohort cohort;

  AnalysisRoutes(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("GET", BatchRoutes.BASE + "/{batch_id}/analysis", this::analysis)
        .route("GET", BatchRoutes.BASE + "/{batch_id}/report", this::report);
  }

  private static AnalysisOptions options(ApiExchange exchange) {
    QueryParameters query = exchange.query();
    return AnalysisOptions.defaults().withIncludeFlagged(query.bool("include_flagged", false))
        .withOutcome(query.text("outcome"));
  }

  private void analysis(ApiExchange exchange) throws IOException {
    Analysis analysis = CohortAnalysis.analyze(cohort, exchange.pathParameter("batch_id"), options(exchange));
    exchange.success(200, gen -> AnalysisJson.write(gen, analysis));
  }

  private void report(ApiExchange exchange) throws IOException {
    // The whole page is made before anything is sent (under 5 MB even for 100,000 simulations), so a
    // failure half-way still gets a proper error response.
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    CohortAnalysis.report(cohort, exchange.pathParameter("batch_id"), options(exchange), page);
    exchange.page("text/html; charset=utf-8", page.toByteArray(),
        Map.of("Content-Security-Policy", CohortAnalysis.REPORT_CONTENT_SECURITY_POLICY));
  }
}
