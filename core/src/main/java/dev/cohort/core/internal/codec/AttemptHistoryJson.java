package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a simulation's earlier failed attempts ({@code retry-failed} keeps them): an
 * array of {@code {attempt, error, finished_at}}, {@code finished_at} null when unknown.
 */
public final class AttemptHistoryJson {
  private static final List<String> FIELDS = List.of("attempt", "error", "finished_at");

  private AttemptHistoryJson() {}

  /** Writes {@code history} as an array. */
  public static void write(JsonGenerator gen, List<FailedAttempt> history) throws IOException {
    gen.writeStartArray();
    for (FailedAttempt failed : history) {
      gen.writeStartObject();
      gen.writeNumberField("attempt", failed.attempt());
      gen.writeStringField("error", failed.error());
      JsonText.writeInstant(gen, "finished_at", failed.finishedAt());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** The JSON text of {@code history}, as a store keeps it. */
  public static String write(List<FailedAttempt> history) {
    return JsonText.write(gen -> write(gen, history));
  }

  /**
   * The history stored by {@link #write(List)} in {@code json}; empty for null (a store keeps no
   * history for a simulation that was never retried).
   */
  public static List<FailedAttempt> readStored(@Nullable String json) {
    return json == null ? List.of() : JsonText.readStored(json, "attempt history", AttemptHistoryJson::read);
  }

  private static List<FailedAttempt> read(JsonNode node) {
    if (!node.isArray()) {
      throw new ValidationException("attempt_history", "must be an array, was " + JsonFields.describe(node));
    }
    List<FieldError> errors = new ArrayList<>();
    List<FailedAttempt> history = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String path = "attempt_history[" + i + "]";
      JsonFields fields = JsonFields.ofStored(node.get(i), path, path + ".", errors);
      if (fields == null) {
        continue;
      }
      int before = errors.size();
      fields.rejectUnknown(FIELDS);
      Integer attempt = fields.integer("attempt", true, Integer.MAX_VALUE);
      String error = fields.text("error", true);
      String finishedAt = fields.text("finished_at", false);
      if (errors.size() == before && attempt != null && error != null) {
        try {
          history.add(new FailedAttempt(attempt, error, finishedAt == null ? null : Instant.parse(finishedAt)));
        } catch (IllegalArgumentException | DateTimeException e) {
          errors.add(new FieldError(path, e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return history;
  }
}
