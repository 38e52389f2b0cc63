package dev.cohort.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.spend.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /api/batch-simulations/{id}/resume}: {@code {"max_cost_usd": 20}}
 * and/or {@code "max_total_tokens"}. A cap the body leaves out stays as the batch has it.
 */
final class ResumeBody {
  private static final Set<String> FIELDS = Set.of("max_cost_usd", "max_total_tokens");

  private ResumeBody() {}

  /**
   * The budget {@code body} asks for, over the caps {@code batch} has.
   *
   * @throws ValidationException naming each bad field
   */
  static Budget budget(JsonNode body, Batch batch) {
    List<FieldError> errors = new ArrayList<>();
    if (!body.isObject()) {
      throw new ValidationException("body", "must be a JSON object such as {\"max_cost_usd\": 20}");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "is not a field of a resume body; known: max_cost_usd, max_total_tokens"));
      }
    });
    @Nullable Double maxCost = batch.request().maxCostUsd();
    @Nullable Long maxTokens = batch.request().maxTotalTokens();
    JsonNode cost = body.get("max_cost_usd");
    if (cost != null && !cost.isNull()) {
      if (cost.isNumber()) {
        maxCost = cost.doubleValue();
      } else {
        errors.add(new FieldError("max_cost_usd", "must be a number of US dollars, was " + cost.getNodeType()));
      }
    }
    JsonNode tokens = body.get("max_total_tokens");
    if (tokens != null && !tokens.isNull()) {
      if (tokens.canConvertToExactIntegral() && tokens.canConvertToLong()) {
        maxTokens = tokens.longValue();
      } else {
        errors.add(new FieldError("max_total_tokens", "must be a whole number, was " + tokens));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Budget(maxCost, maxTokens);
  }
}
