package dev.cohort.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns the body of {@code POST /api/batch-simulations} into a {@link BatchRequest}: the original
 * system's fields plus Cohort's extras, each with its exact JSON type. Every problem is reported at
 * once, the type errors found here together with the range errors of {@link
 * BatchRequest.Builder#build()}. Unknown fields are refused, so a misspelt {@code n_turn} cannot
 * silently fall back to its default.
 */
final class BatchRequestReader {
  /** Every field the body may hold. */
  static final List<String> FIELDS = List.of("name", "description", "context", "entity_ids",
      "interaction_size", "num_simulations", "n_turns", "simulation_rounds", "metadata",
      "interaction_style", "language", "seed", "replicates", "model", "temperature", "max_tokens");

  private BatchRequestReader() {}

  /**
   * The request the body describes.
   *
   * @param maxSimulations most simulations the server plans for one batch
   * @throws ValidationException naming every bad field
   */
  static BatchRequest read(JsonNode body, long maxSimulations) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields fields = JsonFields.of(body, "body", "", errors);
    if (fields == null) {
      throw new ValidationException(errors);
    }
    fields.rejectUnknown(FIELDS);
    BatchRequest.Builder builder = BatchRequest.builder();
    set(fields.text("name", true), builder::name);
    builder.description(fields.text("description", false));
    set(fields.text("context", true), builder::context);
    set(fields.texts("entity_ids", true), builder::entityIds);
    set(fields.integer("interaction_size", true, Integer.MAX_VALUE), builder::interactionSize);
    set(fields.integer("num_simulations", true, BatchRequest.MAX_SIMULATIONS), builder::numSimulations);
    set(fields.integer("n_turns", false, BatchRequest.MAX_TURNS), builder::nTurns);
    set(fields.integer("simulation_rounds", false, BatchRequest.MAX_ROUNDS), builder::simulationRounds);
    set(fields.integer("replicates", false, BatchRequest.MAX_REPLICATES), builder::replicates);
    Map<String, @Nullable Object> metadata = fields.object("metadata");
    if (metadata != null) {
      builder.metadata(metadata);
    }
    set(fields.text("interaction_style", false), builder::interactionStyle);
    set(fields.text("language", false), builder::language);
    builder.seed(fields.longInteger("seed"));
    builder.llm(new LlmOptions(fields.text("model", false), fields.decimal("temperature"),
        fields.integer("max_tokens", false, Integer.MAX_VALUE)));

    BatchRequest request;
    try {
      request = builder.build();
    } catch (ValidationException e) {
      // A field that failed its type check reaches the builder unset; its complaint about the
      // missing value would only repeat ours.
      Set<String> reported = new HashSet<>();
      errors.forEach(error -> reported.add(topLevel(error.field())));
      e.errors().stream().filter(error -> !reported.contains(topLevel(error.field()))).forEach(errors::add);
      throw new ValidationException(errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    checkPlanSize(request, maxSimulations);
    return request;
  }

  /**
   * Refuses a request whose plan, min(C(n,k), N) × replicates, exceeds what this server accepts:
   * planning holds every simulation in memory at once, so one request must not be able to ask for
   * millions.
   */
  private static void checkPlanSize(BatchRequest request, long maxSimulations) {
    long combinations = combinationsUpTo(request.entityIds().size(), request.interactionSize(),
        request.numSimulations());
    long planned = Math.min(combinations, request.numSimulations()) * request.replicates();
    if (planned > maxSimulations) {
      throw new ValidationException("num_simulations", "the batch would plan " + planned
          + " simulations (min(C(n,k), num_simulations) × replicates); this server accepts at most "
          + maxSimulations + " per batch");
    }
  }

  /** C(n,k), or {@code cap} as soon as it reaches {@code cap}. */
  static long combinationsUpTo(int n, int k, long cap) {
    int r = Math.min(k, n - k);
    long c = 1;
    for (int i = 0; i < r; i++) {
      try {
        // Exact at every step: the product of i+1 consecutive integers is divisible by (i+1)!.
        c = Math.multiplyExact(c, n - i) / (i + 1);
      } catch (ArithmeticException overflow) {
        return cap;
      }
      if (c >= cap) {
        return cap;
      }
    }
    return c;
  }

  private static String topLevel(String field) {
    int end = field.length();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '.' || c == '[' || c == ' ') {
        end = i;
        break;
      }
    }
    return field.substring(0, end);
  }

  private static <T> void set(@Nullable T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
