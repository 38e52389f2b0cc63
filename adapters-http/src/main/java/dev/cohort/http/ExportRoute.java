package dev.cohort.http;

import dev.cohort.core.Cohort;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.export.ExportOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * {@code GET /api/batch-simulations/{id}/export?format=json|csv|jsonl}: the batch as a file
 * download, named as the original system named it ({@code
 * batch_simulation_{id}_{epochSeconds}.{ext}}) and streamed chunked from the repository, so a
 * batch of any size is sent with constant memory. The utterance tables ({@code utterances_csv},
 * {@code utterances_jsonl}) and the participant tables ({@code participants_csv}, {@code
 * participants_jsonl}) are offered too. {@code neutralise_formulas=false} turns off the CSV
 * formula guard for analysis pipelines and {@code byte_order_mark=true} adds the BOM Excel wants.
 */
final class ExportRoute {
  private final Cohort cohort;
  private final Clock clock;

  ExportRoute(Cohort cohort, Clock clock) {
    this.cohort = cohort;
    this.clock = clock;
  }

  void register(Router router) {
    router.route("GET", BatchRoutes.BASE + "/{batch_id}/export", this::export);
  }

  private void export(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("batch_id");
    QueryParameters query = exchange.query();
    String formatName = query.text("format");
    ExportFormat format = formatName == null ? ExportFormat.JSON : ExportFormat.fromWireName(formatName);
    ExportOptions options = ExportOptions.builder()
        .neutraliseFormulas(query.bool("neutralise_formulas", ExportOptions.DEFAULT_NEUTRALISE_FORMULAS))
        .byteOrderMark(query.bool("byte_order_mark", ExportOptions.DEFAULT_BYTE_ORDER_MARK))
        .build();
    cohort.getBatch(id);
    OutputStream out = exchange.download(format.mediaType(), fileName(id, format, clock.instant().getEpochSecond()));
    try {
      cohort.export(id, format, options, out);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.close();
  }

  /** {@code batch_simulation_{id}_{epochSeconds}.{ext}}, with {@code _utterances} for the utterance tables. */
  static String fileName(String batchId, ExportFormat format, long epochSeconds) {
    String kind = format == ExportFormat.UTTERANCES_CSV || format == ExportFormat.UTTERANCES_JSONL ? "_utterances"
        : format == ExportFormat.PARTICIPANTS_CSV || format == ExportFormat.PARTICIPANTS_JSONL ? "_participants" : "";
    return "batch_simulation_" + safe(batchId) + kind + "_" + epochSeconds + "." + format.fileExtension();
  }

  // The name goes into a quoted header parameter and then onto a user's disk: keep it to characters
  // that are harmless in both.
  private static String safe(String id) {
    StringBuilder out = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      out.append(plain ? c : '_');
    }
    return out.toString();
  }
}
