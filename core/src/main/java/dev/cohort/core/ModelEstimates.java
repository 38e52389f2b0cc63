package dev.cohort.core;

import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.spend.Estimate;
import dev.cohort.core.spend.Estimate.Cost;
import dev.cohort.core.spend.Estimate.Count;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Adds up the estimates of a batch's models, each made at that model's price for the batch's
 * planned simulations: crossed, every model runs them all; balanced, each runs its share.
 */
final class ModelEstimates {
  private ModelEstimates() {}

  /**
   * The batch's estimate from one per model, in the order the request names them.
   *
   * @param perModel each model's estimate of the planned simulations, without the models factor
   */
  static Estimate sum(List<String> models, ModelAssignment assignment, List<Estimate> perModel) {
    long planned = perModel.get(0).simulations();
    int m = models.size();
    long simulations = 0;
    Count calls = new Count(0, 0, 0);
    Count prompt = new Count(0, 0, 0);
    Count cached = new Count(0, 0, 0);
    Count completion = new Count(0, 0, 0);
    @Nullable Cost cost = new Cost(0, 0, 0);
    List<String> unpriced = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      Estimate e = perModel.get(i);
      // Balanced: each block of m simulations gives every model one; the last, partial block
      // gives one more to some.
      long share = assignment == ModelAssignment.CROSSED ? planned : planned / m + (i < planned % m ? 1 : 0);
      double part = planned == 0 ? 0 : (double) share / planned;
      simulations += share;
      calls = plus(calls, e.calls(), part);
      prompt = plus(prompt, e.promptTokens(), part);
      cached = plus(cached, e.cachedPromptTokens(), part);
      completion = plus(completion, e.completionTokens(), part);
      Cost c = e.costUsd();
      if (c == null) {
        unpriced.add(models.get(i));
      } else if (cost != null) {
        cost = new Cost(cost.low() + c.low() * part, cost.expected() + c.expected() * part, cost.high() + c.high() * part);
      }
    }
    List<String> assumptions = new ArrayList<>(perModel.get(0).assumptions());
    assumptions.add(assignment == ModelAssignment.CROSSED
        ? "Each of the " + planned + " planned simulations runs once on each of the " + m + " models ("
            + String.join(", ", models) + "), each priced at its own model's price; the sums are over the models."
        : "The " + planned + " planned simulations are shared equally among the " + m + " models ("
            + String.join(", ", models) + "), each priced at its own model's price.");
    if (!unpriced.isEmpty()) {
      assumptions.add("No price for " + String.join(", ", unpriced) + ", so the cost is unknown.");
      cost = null;
    }
    return new Estimate(simulations, String.join(", ", models), calls, prompt, cached, completion, cost, assumptions);
  }

  private static Count plus(Count sum, Count add, double part) {
    return new Count(sum.low() + Math.round(add.low() * part), sum.expected() + Math.round(add.expected() * part),
        sum.high() + Math.round(add.high() * part));
  }
}
