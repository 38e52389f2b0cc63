package dev.cohort.http;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Coverage;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.internal.codec.BatchJson;
import dev.cohort.core.internal.codec.CoverageJson;
import dev.cohort.core.internal.codec.ExtendRequestJson;
import dev.cohort.core.internal.codec.BatchRequestJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The batch routes: the original system's create, list, get and delete, and Cohort's status,
 * cancel, resume and retry-failed, and the study design's coverage and extend. Batches and simulations are written by {@link BatchJson}, the
 * same form the JSON export uses; simulations are streamed from the repository one at a time.
 */
final class BatchRoutes {
  static final String BASE = "/api/batch-simulations";

  private final Cohort cohort;

  BatchRoutes(Cohort cohort) {
    this.cohort = cohort;
  }

  void register(Router router) {
    router.route("POST", BASE, this::create)
        .route("GET", BASE, this::list)
        .route("GET", BASE + "/{batch_id}", this::get)
        .route("DELETE", BASE + "/{batch_id}", this::delete)
        .route("GET", BASE + "/{batch_id}/status", this::status)
        .route("POST", BASE + "/{batch_id}/cancel", this::cancel)
        .route("POST", BASE + "/{batch_id}/resume", this::resume)
        .route("POST", BASE + "/{batch_id}/retry-failed", this::retryFailed)
        .route("GET", BASE + "/{batch_id}/coverage", this::coverage)
        .route("POST", BASE + "/{batch_id}/extend", this::extend);
  }

  private void create(ApiExchange exchange) throws IOException {
    // The plan's size is checked by createBatch, against the Cohort's maxPlannedSimulations.
    BatchRequest request = BatchRequestJson.read(exchange.jsonBody(), "body");
    Batch batch = cohort.createBatch(request);
    exchange.success(201, gen -> {
      gen.writeStartObject();
      gen.writeStringField("id", batch.id());
      gen.writeStringField("message", "Batch simulation started");
      gen.writeNumberField("requested_simulations", batch.requestedSimulations());
      gen.writeNumberField("planned_simulations", batch.plannedSimulations());
      gen.writeStringField("status", batch.status().wireName());
      gen.writeArrayFieldStart("warnings");
      for (String warning : batch.warnings()) {
        gen.writeString(warning);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }, Map.of("Location", BASE + "/" + UriComponents.encodeSegment(batch.id())));
  }

  private void list(ApiExchange exchange) throws IOException {
    QueryParameters query = exchange.query();
    boolean includeSimulations = query.bool("include_simulations", false);
    int offset = query.integer("offset", 0, 0);
    int limit = query.integer("limit", 1, Integer.MAX_VALUE);
    List<Batch> batches = cohort.listBatches(offset, limit, false);
    exchange.success(200, gen -> {
      gen.writeStartArray();
      for (Batch batch : batches) {
        if (includeSimulations) {
          // A batch deleted while the list is written keeps its summary and shows no simulations.
          BatchJson.of(batch).writeDocument(gen, action -> simulationsIfPresent(batch.id(), action));
        } else {
          BatchJson.of(batch).writeSummary(gen);
        }
      }
      gen.writeEndArray();
    });
  }

  private void get(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("batch_id");
    boolean includeSimulations = exchange.query().bool("include_simulations", true);
    Batch batch = cohort.getBatch(id);
    exchange.success(200, gen -> {
      if (includeSimulations) {
        BatchJson.of(batch).writeDocument(gen, action -> cohort.forEachSimulation(id, action));
      } else if (batch.request().execution() == Execution.BATCH_API) {
        BatchJson.of(batch).writeSummary(gen, List.of(), cohort.providerJobs(id));
      } else {
        BatchJson.of(batch).writeSummary(gen);
      }
    });
  }

  private void delete(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("batch_id");
    if (!cohort.deleteBatch(id)) {
      throw new NotFoundException("batch", id);
    }
    exchange.success(200, gen -> {
      gen.writeStartObject();
      gen.writeStringField("message", "Batch simulation " + id + " deleted successfully");
      gen.writeEndObject();
    });
  }

  private void status(ApiExchange exchange) throws IOException {
    Batch batch = cohort.getBatch(exchange.pathParameter("batch_id"));
    // A batch that names models breaks its counts, tokens and cost down by model (one more read).
    List<ModelBreakdown> byModel = batch.request().modelFactor().isEmpty() ? List.of()
        : cohort.modelBreakdown(batch.id());
    if (batch.request().execution() == Execution.BATCH_API) {
      // The provider jobs running now: id, status, request counts, submitted at (one more read).
      List<ProviderJob> jobs = cohort.providerJobs(batch.id());
      exchange.success(200, gen -> BatchJson.writeStatus(gen, batch, byModel, jobs));
      return;
    }
    exchange.success(200, gen -> BatchJson.writeStatus(gen, batch, byModel));
  }

  private void cancel(ApiExchange exchange) throws IOException {
    Batch batch = cohort.cancel(exchange.pathParameter("batch_id"));
    exchange.success(200, gen -> BatchJson.of(batch).writeSummary(gen));
  }

  /** Resume; an optional body {@code {"max_cost_usd": 20, "max_total_tokens": N}} raises the budget. */
  private void resume(ApiExchange exchange) throws IOException {
    String batchId = exchange.pathParameter("batch_id");
    JsonNode body = exchange.optionalJsonBody();
    Batch batch = body == null ? cohort.resume(batchId) : cohort.resume(batchId, ResumeBody.budget(body, cohort.getBatch(batchId)));
    exchange.success(200, gen -> BatchJson.of(batch).writeSummary(gen));
  }

  private void retryFailed(ApiExchange exchange) throws IOException {
    Batch batch = cohort.retryFailed(exchange.pathParameter("batch_id"));
    exchange.success(200, gen -> BatchJson.of(batch).writeSummary(gen));
  }

  /** Coverage of the planned simulations; {@code ?attributes=a,b} chooses the composition's attributes. */
  private void coverage(ApiExchange exchange) throws IOException {
    String attributes = exchange.query().text("attributes");
    Coverage coverage = cohort.coverage(exchange.pathParameter("batch_id"),
        attributes == null ? null : List.of(attributes.split(",", -1)));
    exchange.success(200, gen -> CoverageJson.write(gen, coverage));
  }

  /** Plans {@code num_simulations} more groups and runs them; answers with the batch's summary. */
  private void extend(ApiExchange exchange) throws IOException {
    String id = exchange.pathParameter("batch_id");
    int more = ExtendRequestJson.numSimulations(exchange.jsonBody(), "body");
    Batch batch = cohort.extend(id, more);
    exchange.success(200, gen -> BatchJson.of(batch).writeSummary(gen));
  }

  private void simulationsIfPresent(String batchId, Consumer<Simulation> action) {
    try {
      cohort.forEachSimulation(batchId, action);
    } catch (NotFoundException deletedMeanwhile) {
      // Nothing to show: the batch is gone.
    }
  }
}
