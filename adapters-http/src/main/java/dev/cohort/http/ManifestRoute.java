package dev.cohort.http;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.internal.codec.ManifestJson;
import java.io.IOException;

/**
 * {@code GET /api/batch-simulations/{id}/manifest}: the batch's provenance manifest in the success
 * envelope, in the {@link ManifestJson} form the export and the command line also write.
 */
final class ManifestRoute {
  private final Cohort cohort;

  ManifestRoute(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("GET", BatchRoutes.BASE + "/{batch_id}/manifest", this::manifest);
  }

  private void manifest(ApiExchange exchange) throws IOException {
    Manifest manifest = cohort.manifest(exchange.pathParameter("batch_id"));
    exchange.success(200, gen -> ManifestJson.write(gen, manifest));
  }
}
