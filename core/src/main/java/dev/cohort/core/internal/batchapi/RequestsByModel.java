package dev.cohort.core.internal.batchapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Groups the next requests of a {@code batch_api} batch by the model each is for, so each group
 * goes to its own model's provider in jobs of that model only (OpenAI takes one model per input
 * file). The key is the request's model, not its simulation's: a role-play turn goes to its
 * speaker's model, and any other request (an outcome extraction) to the model it names.
 */
final class RequestsByModel {
  private RequestsByModel() {}

  /**
   * {@code requests} by {@code model} (null: the {@code Cohort}'s one model), groups in the order
   * their first request comes, each group in the requests' order.
   */
  static <T> Map<@Nullable String, List<T>> group(Iterable<T> requests, Function<T, @Nullable String> model) {
    Map<@Nullable String, List<T>> groups = new LinkedHashMap<>();
    for (T r : requests) {
      groups.computeIfAbsent(model.apply(r), m -> new ArrayList<>()).add(r);
    }
    return groups;
  }
}
