package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.port.ProviderJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@code batch_api} batch's current provider jobs, which the REST status route
 * and {@code batches show --json} add to the batch: {@code provider_jobs}, one object per job not
 * yet applied ({@code id}, {@code status}, {@code request_counts} {@code {total, completed,
 * failed}}, {@code submitted_at}, {@code model}: the registry name whose provider runs it, null for the
 * one model), in submission order. Jobs whose answers are stored are history
 * and left out.
 */
public final class ProviderJobsJson {
  private ProviderJobsJson() {}

  /** The jobs of {@code jobs} still running or not yet applied: the ones a status shows. */
  public static List<ProviderJob> current(List<ProviderJob> jobs) {
    List<ProviderJob> current = new ArrayList<>();
    for (ProviderJob job : jobs) {
      if (!job.applied()) {
        current.add(job);
      }
    }
    return List.copyOf(current);
  }

  /** Writes {@code provider_jobs} with the {@linkplain #current current} jobs of {@code jobs} into the object being written. */
  public static void writeField(JsonGenerator gen, List<ProviderJob> jobs) throws IOException {
    gen.writeArrayFieldStart("provider_jobs");
    for (ProviderJob job : current(jobs)) {
      gen.writeStartObject();
      gen.writeStringField("id", job.jobId());
      gen.writeStringField("status", job.state().wireName());
      gen.writeObjectFieldStart("request_counts");
      gen.writeNumberField("total", job.total());
      gen.writeNumberField("completed", job.completed());
      gen.writeNumberField("failed", job.failed());
      gen.writeEndObject();
      JsonText.writeInstant(gen, "submitted_at", job.submittedAt());
      // The registry model whose provider runs it; null for the one model.
      gen.writeStringField("model", job.model());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }
}
