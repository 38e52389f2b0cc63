package dev.cohort.http;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.internal.codec.spend.EstimateJson;
import dev.cohort.core.spend.Estimate;
import java.io.IOException;

/**
 * {@code POST /api/batch-simulations/estimate}: what the batch the body describes (the create
 * body, validated the same way) would spend, without creating it or calling the model; see {@link
 * Cohort#estimate(BatchRequest)}. Answers 200 with the estimate written by {@link EstimateJson}.
 */
final class EstimateRoute {
  private final Cohort cohort;

  EstimateRoute(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("POST", BatchRoutes.BASE + "/estimate", this::estimate);
  }

  private void estimate(ApiExchange exchange) throws IOException {
    BatchRequest request = BatchRequestJson.read(exchange.jsonBody(), "body");
    Estimate estimate = cohort.estimate(request);
    exchange.success(200, gen -> EstimateJson.write(gen, estimate));
  }
}
