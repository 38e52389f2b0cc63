package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /api/batch-simulations/{id}/extend}: {@code {"num_simulations": M}}. */
public final class ExtendRequestJson {
  private ExtendRequestJson() {}

  /**
   * How many more groups the body asks for.
   *
   * @throws ValidationException naming the bad or unknown field
   */
  public static int numSimulations(JsonNode body, String field) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.of(body, field, "", errors);
    Integer m = null;
    if (fields != null) {
      fields.rejectUnknown(List.of("num_simulations"));
      m = fields.integer("num_simulations", true, BatchRequest.MAX_SIMULATIONS);
    }
    if (!errors.isEmpty() || m == null) {
      throw new ValidationException(errors.isEmpty() ? List.of(new FieldError("num_simulations", "is required")) : errors);
    }
    return m;
  }
}
