package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.spend.CostSum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Sums a batch's simulations by model ({@link ModelBreakdown}), streaming them once: the models
 * the request names first, in its order (each even before any of its simulations ran), then any
 * other model name in alphabetical order.
 */
public final class ModelBreakdowns {
  private ModelBreakdowns() {}

  /** The breakdown of the batch {@code request} made, whose simulations {@code store} holds. */
  public static List<ModelBreakdown> of(BatchStore store, String batchId, BatchRequest request) {
    Map<String, Sum> named = new LinkedHashMap<>();
    for (String model : request.models()) {
      named.put(model, new Sum());
    }
    Map<String, Sum> others = new TreeMap<>();
    store.forEachSimulation(batchId, s -> {
      String model = s.modelName() == null ? ModelBreakdown.UNKNOWN : s.modelName();
      Sum sum = named.get(model);
      if (sum == null) {
        sum = others.computeIfAbsent(model, m -> new Sum());
      }
      sum.add(s);
    });
    List<ModelBreakdown> rows = new ArrayList<>();
    named.forEach((model, sum) -> rows.add(sum.as(model)));
    others.forEach((model, sum) -> rows.add(sum.as(model)));
    return rows;
  }

  private static final class Sum {
    BatchCounts counts = BatchCounts.EMPTY;
    TokenUsage usage = TokenUsage.ZERO;
    @Nullable Double cost = 0.0;

    void add(Simulation s) {
      counts = counts.plus(s.status());
      usage = usage.plus(s.usage());
      cost = CostSum.plus(cost, s.costUsd());
    }

    ModelBreakdown as(String model) {
      return new ModelBreakdown(model, counts, usage, cost);
    }
  }
}
