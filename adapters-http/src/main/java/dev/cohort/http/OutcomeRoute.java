package dev.cohort.http;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.internal.codec.BatchJson;
import dev.cohort.core.internal.codec.OutcomeJson;
import java.io.IOException;

/**
 * {@code POST /api/batch-simulations/{id}/outcomes} with {@code {"outcomes": [...], "replace":
 * false}}: extracts outcomes again, or new ones, from the batch's completed simulations without
 * re-simulating ({@link Cohort#extractOutcomes(String, java.util.List, boolean)}). Answers 202 with
 * the batch summary, {@code in_progress} while the extraction runs; its progress shows on the
 * status route like any run. 400 for an invalid declaration or a batch still running.
 */
final class OutcomeRoute {
  private final Cohort cohort;

  OutcomeRoute(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("POST", BatchRoutes.BASE + "/{batch_id}/outcomes", this::extract);
  }

  private void extract(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("batch_id");
    OutcomeJson.ExtractionRequest request = OutcomeJson.readExtractionRequest(exchange.jsonBody(), "body");
    Batch batch = cohort.extractOutcomes(id, request.outcomes(), request.replace());
    exchange.success(202, gen -> BatchJson.of(batch).writeSummary(gen));
  }
}
