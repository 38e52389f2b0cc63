package dev.cohort.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.internal.codec.BatchJson;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.ManifestJson;
import dev.cohort.core.internal.provenance.ManifestBuilder;
import dev.cohort.core.internal.codec.SimulationStream;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.ResponseCache;
import dev.cohort.core.spend.PriceTable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a stored batch to a caller's stream in one of the {@link ExportFormat formats}.
 *
 * <p>Exports stream: simulations are read one at a time in sequence order through {@link
 * RepositoryPort#forEachSimulation} and written as they arrive, so memory stays constant however
 * large the batch. A batch that is still running can be exported: its unfinished simulations
 * appear with their status ({@code pending}, {@code running}) and the turns recorded so far. The
 * batch's own fields (status, counts, usage) are read once, when the export starts. An empty batch
 * gives valid output: a header-only CSV, an empty JSON Lines file, a JSON document with an empty
 * {@code simulations} array.
 *
 * <p>The caller's stream is flushed, never closed. Thread-safe: one exporter can serve concurrent
 * exports.
 *
 * <pre>{@code
 * BatchExporter exporter = BatchExporter.of(repository);
 * try (OutputStream out = Files.newOutputStream(Path.of("batch.csv"))) {
 *   exporter.export(batchId, ExportFormat.CSV, out);
 * }
 * }</pre>
 */
public final class BatchExporter {
  private final RepositoryPort repository;
  /** Where the manifest prices the batch's cache hits from; null: their saved cost is unknown. */
  private final @Nullable ResponseCache cache;
  private final PriceTable prices;

  private BatchExporter(RepositoryPort repository, @Nullable ResponseCache cache, PriceTable prices) {
    this.repository = repository;
    this.cache = cache;
    this.prices = prices;
  }

  /**
   * An exporter reading from {@code repository}; a manifest it writes leaves the cost a batch's
   * response-cache hits saved unknown (null) when the batch had any.
   */
  public static BatchExporter of(RepositoryPort repository) {
    return new BatchExporter(Objects.requireNonNull(repository, "repository"), null, PriceTable.builtIn());
  }

  /**
   * An exporter reading from {@code repository} whose manifests price the batch's response-cache
   * hits (their {@code cache.saved_cost_usd}) from the entries {@code cache} holds with {@code prices}.
   */
  public static BatchExporter of(RepositoryPort repository, ResponseCache cache, PriceTable prices) {
    return new BatchExporter(Objects.requireNonNull(repository, "repository"), Objects.requireNonNull(cache, "cache"),
        Objects.requireNonNull(prices, "prices"));
  }

  /**
   * Writes the batch to {@code out} in {@code format} with the {@linkplain ExportOptions#defaults()
   * default options}.
   *
   * @throws NotFoundException when no batch has this id
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void export(String batchId, ExportFormat format, OutputStream out) {
    export(batchId, format, ExportOptions.defaults(), out);
  }

  /**
   * Writes the batch to {@code out} in {@code format}.
   *
   * @throws NotFoundException when no batch has this id
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void export(String batchId, ExportFormat format, ExportOptions options, OutputStream out) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
    Batch batch = load(batchId);
    try {
      switch (format) {
        case JSON -> writeJson(batch, options, out);
        case CSV -> SimulationCsv.write(batch, repository, options, out);
        case JSONL -> writeJsonLines(batch, out);
        case UTTERANCES_CSV -> UtteranceTable.writeCsv(batch, repository, options, out);
        case UTTERANCES_JSONL -> UtteranceTable.writeJsonLines(batch, repository, out);
        case PARTICIPANTS_CSV -> ParticipantTable.writeCsv(batch, repository, options, out);
        case PARTICIPANTS_JSONL -> ParticipantTable.writeJsonLines(batch, repository, out);
        case MANIFEST -> writeManifest(batch, options, out);
      }
    } catch (IOException e) {
      throw failed(batchId, format.wireName(), e);
    }
  }

  /**
   * Writes the batch's entities, as they were when it was created, as CSV with the columns {@code
   * Entity ID, Name, Description, Attributes} (attributes as a JSON object), with the {@linkplain
   * ExportOptions#defaults() default options}.
   *
   * @throws NotFoundException when no batch has this id
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void exportEntitiesCsv(String batchId, OutputStream out) {
    exportEntitiesCsv(batchId, ExportOptions.defaults(), out);
  }

  /**
   * Writes the batch's entities as CSV, like {@link #exportEntitiesCsv(String, OutputStream)},
   * with the given options.
   *
   * @throws NotFoundException when no batch has this id
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void exportEntitiesCsv(String batchId, ExportOptions options, OutputStream out) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
    Batch batch = load(batchId);
    try {
      EntityCsv.write(batch, options, out);
    } catch (IOException e) {
      throw failed(batchId, "entity csv", e);
    }
  }

  private Batch load(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return repository.findBatch(batchId).orElseThrow(() -> new NotFoundException("batch", batchId));
  }

  private void writeJson(Batch batch, ExportOptions options, OutputStream out) throws IOException {
    // The manifest comes first: it is one streaming pass over the simulations, the document another.
    Manifest manifest = ManifestBuilder.build(batch, repository, cache, prices);
    writeOne(options, out, gen -> BatchJson.of(batch).writeDocument(
        gen, action -> repository.forEachSimulation(batch.id(), action), manifest));
  }

  private void writeManifest(Batch batch, ExportOptions options, OutputStream out) throws IOException {
    Manifest manifest = ManifestBuilder.build(batch, repository, cache, prices);
    writeOne(options, out, gen -> ManifestJson.write(gen, manifest));
  }

  /**
   * Writes one JSON document and a line break. The generator is closed only after a success:
   * closing flushes into the stream, which after a failed write would throw that same exception
   * again (and Java cannot add an exception to itself as suppressed).
   */
  private static void writeOne(ExportOptions options, OutputStream out, JsonText.Writing document) throws IOException {
    JsonGenerator gen = JsonText.createGenerator(out);
    if (options.prettyPrint()) {
      gen.useDefaultPrettyPrinter();
    }
    document.writeTo(gen);
    gen.writeRaw('\n');
    gen.close();
  }

  private void writeJsonLines(Batch batch, OutputStream out) throws IOException {
    BatchJson json = BatchJson.of(batch);
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      SimulationStream.forEach(repository, batch.id(), simulation -> {
        json.writeSimulation(gen, simulation);
        gen.writeRaw('\n');
      });
    }
  }

  private static UncheckedIOException failed(String batchId, String what, IOException cause) {
    return new UncheckedIOException("writing the " + what + " export of batch " + batchId + " failed: "
        + cause.getMessage(), cause);
  }
}
