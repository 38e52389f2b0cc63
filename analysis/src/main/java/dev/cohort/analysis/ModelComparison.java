package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.core.batch.ModelAssignment;
import java.util.List;
import java.util.Objects;

/**
 * One outcome compared across the models of a batch that names several ({@code models}): the
 * outcome's full analysis on each model's simulations (its summary with an interval, entity effects
 * within that model, …) and, for numbers and booleans, the difference between every pair of models.
 *
 * <p>A crossed batch runs every group × replicate once on every model, so the differences are
 * paired: simulation i of one model against simulation i of the other (same group, speaking order
 * and seeds), a paired t test on the pairs both completed. A balanced batch runs each simulation on
 * one model, so no pair exists; its differences are Welch two-sample t tests instead.
 *
 * @param assignment how the batch gave its simulations their models
 * @param byModel the outcome on each model's analysed simulations, in the order the batch names them
 * @param differences {@code model − otherModel} for every pair of models, in the order the batch
 *     names them (first against second, first against third, …); empty for enum, entity and
 *     free-text outcomes, which have no mean to compare
 */
public record ModelComparison(ModelAssignment assignment, List<ModelOutcome> byModel, List<ModelDifference> differences) {
  public ModelComparison {
    Objects.requireNonNull(assignment, "assignment");
    byModel = List.copyOf(byModel);
    differences = List.copyOf(differences);
  }

  /** Whether the differences are paired by group and replicate (a crossed batch). */
  public boolean paired() {
    return assignment == ModelAssignment.CROSSED;
  }

  /** One sentence saying how the models were compared, as the JSON, the text and the report say it. */
  public String explanation() {
    if (paired()) {
      return "crossed: every group and replicate ran on every model, so each difference pairs a group's simulation"
          + " on one model with the same group's on the other (paired t over the pairs both completed)";
    }
    return "balanced: each simulation ran on one model, so no group has a pair on another model; each difference"
        + " is a Welch two-sample t test between the models' simulations";
  }

  /**
   * The outcome on the simulations of one model.
   *
   * @param model the registry name
   * @param analysis the outcome's analysis of that model's simulations alone (no nested comparison)
   */
  public record ModelOutcome(String model, OutcomeAnalysis analysis) {
    public ModelOutcome {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(analysis, "analysis");
    }
  }

  /** How a {@link ModelDifference} was tested. */
  public enum Method {
    /** Paired t over the groups both models completed (crossed). */
    PAIRED_T,
    /** Welch's two-sample t (balanced: no pairs). */
    WELCH;

    /** The lower-case name used in JSON. */
    public String wireName() {
      return this == PAIRED_T ? "paired_t" : "welch";
    }
  }

  /**
   * How an outcome differs between two models, {@code model − otherModel}.
   *
   * @param model the first model
   * @param otherModel the model it is compared with
   * @param method paired t (crossed) or Welch (balanced)
   * @param pairs how many pairs the paired test used (a group and replicate that both models
   *     completed and answered); 0 for Welch, which has none
   * @param n how many values: the pairs for a paired test, both models' values together for Welch
   * @param difference the mean of the paired differences, or the difference of the two means
   * @param ciLow the lower end of its 95 % interval (NaN below two pairs or values per model, or
   *     without variance)
   * @param ciHigh its upper end
   * @param df degrees of freedom: pairs − 1, or Welch–Satterthwaite
   * @param t the t statistic
   * @param p the two-sided p-value
   * @param pHolm the p-value adjusted across this outcome's model pairs by Holm's method
   */
  public record ModelDifference(String model, String otherModel, Method method, long pairs, long n, double difference,
      double ciLow, double ciHigh, double df, double t, double p, double pHolm) {
    public ModelDifference {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(otherModel, "otherModel");
      Objects.requireNonNull(method, "method");
    }
  }
}
