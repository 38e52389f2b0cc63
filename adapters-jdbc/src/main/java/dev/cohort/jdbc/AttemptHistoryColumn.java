package dev.cohort.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.FailedAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code simulations.attempt_history} column: a simulation's earlier failures as a JSON array
 * of {@code {"attempt", "error", "finished_at"}} (the same snake_case names the simulation's JSON
 * shows), NULL for a simulation never retried.
 */
final class AttemptHistoryColumn {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AttemptHistoryColumn() {}

  /** The history stored in a column value; empty for NULL. */
  static List<FailedAttempt> read(@Nullable String column) {
    if (column == null || column.isBlank()) {
      return List.of();
    }
    try {
      List<FailedAttempt> history = new ArrayList<>();
      for (JsonNode entry : MAPPER.readTree(column)) {
        JsonNode finishedAt = entry.path("finished_at");
        history.add(new FailedAttempt(entry.path("attempt").asInt(), entry.path("error").asText(""),
            finishedAt.isTextual() ? Instant.parse(finishedAt.asText()) : null));
      }
      return history;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new CohortException("stored attempt history is not readable: " + e.getMessage(), e);
    }
  }

  /** The column value for {@code history}. */
  static String write(List<FailedAttempt> history) {
    ArrayNode array = MAPPER.createArrayNode();
    for (FailedAttempt attempt : history) {
      ObjectNode entry = array.addObject();
      entry.put("attempt", attempt.attempt());
      entry.put("error", attempt.error());
      entry.put("finished_at", attempt.finishedAt() == null ? null : attempt.finishedAt().toString());
    }
    return array.toString();
  }
}
