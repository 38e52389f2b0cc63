package dev.cohort.analysis;

import dev.cohort.core.batch.DeclaredOutcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a batch's declared outcomes say, computed from its completed simulations: one {@link
 * OutcomeAnalysis} per outcome, in declaration order. Immutable. A statistic that the data cannot
 * give (a standard deviation of one value, an interval of an empty group) is {@link Double#NaN}.
 *
 * @param batchId the batch analysed
 * @param simulations how many simulations the batch has
 * @param analysed how many were analysed: completed, and unflagged unless flagged ones were included
 * @param excludedFlagged how many completed simulations were left out because they carry a quality
 *     flag (0 when flagged simulations were included)
 * @param unfinished how many were left out because they did not complete (pending, running, failed
 *     or cancelled)
 * @param flaggedIncluded whether flagged simulations were analysed
 * @param outcomes one analysis per declared outcome (or the one asked for), in declaration order
 */
public record Analysis(
    String batchId,
    long simulations,
    long analysed,
    long excludedFlagged,
    long unfinished,
    boolean flaggedIncluded,
    List<OutcomeAnalysis> outcomes) {

  public Analysis {
    Objects.requireNonNull(batchId, "batchId");
    outcomes = List.copyOf(outcomes);
  }

  /** The analysis of the outcome named {@code name}, if the batch declares one. */
  public Optional<OutcomeAnalysis> outcome(String name) {
    return outcomes.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /** How a {@link Summary}'s interval was computed. */
  public enum IntervalMethod {
    /** Student's t interval of a mean. */
    T,
    /** Wilson's score interval of a proportion (boolean outcomes). */
    WILSON;

    /** The lower-case name used in JSON. */
    public String wireName() {
      return this == T ? "t" : "wilson";
    }
  }

  /**
   * A sample's size, mean, standard deviation and 95 % interval of its mean. For a boolean outcome
   * the mean is the proportion of {@code true} and the interval Wilson's.
   *
   * @param n how many values
   * @param mean their mean (NaN when n is 0)
   * @param sd their sample standard deviation, n − 1 in the denominator (NaN when n &lt; 2)
   * @param ciLow the interval's lower end (NaN when it cannot be computed)
   * @param ciHigh the interval's upper end
   * @param method how the interval was computed
   */
  public record Summary(long n, double mean, double sd, double ciLow, double ciHigh, IntervalMethod method) {
    public Summary {
      Objects.requireNonNull(method, "method");
    }
  }

  /**
   * One declared outcome's statistics. Which lists are filled depends on its type and scope: a
   * simulation-level number or boolean has a summary, entity effects, composition effects and,
   * when groups ran more than once, an ICC; a per-participant number or boolean has a summary and
   * summaries per entity and attribute value; enum and entity outcomes have frequencies, entity
   * outcomes naming rates too. Lists that do not apply are empty.
   *
   * @param name the outcome's name
   * @param type its declared type
   * @param per whether it has one value per simulation or per participant
   * @param summary all its values together (numbers and booleans), or null for other types
   * @param entityEffects each entity's effect on a simulation-level outcome, largest difference first
   * @param byEntity per-participant values of each entity, in pool order
   * @param byAttribute per-participant values by categorical attribute value
   * @param composition a simulation-level outcome by how many members of each attribute value the
   *     group had
   * @param icc the share of variance between replicated groups, or null without replicates
   * @param frequencies how often each answer was given (enum and entity outcomes)
   * @param namingRates how often each entity was named relative to its appearances (entity outcomes)
   * @param models the outcome on each of the batch's models and their differences, or null when
   *     the batch names fewer than two models
   */
  public record OutcomeAnalysis(
      String name,
      DeclaredOutcome.Type type,
      DeclaredOutcome.Per per,
      @Nullable Summary summary,
      List<EntityEffect> entityEffects,
      List<EntitySummary> byEntity,
      List<AttributeSummary> byAttribute,
      List<CompositionEffect> composition,
      @Nullable Icc icc,
      List<Frequency> frequencies,
      List<NamingRate> namingRates,
      @Nullable ModelComparison models) {
    public OutcomeAnalysis {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(per, "per");
      entityEffects = List.copyOf(entityEffects);
      byEntity = List.copyOf(byEntity);
      byAttribute = List.copyOf(byAttribute);
      composition = List.copyOf(composition);
      frequencies = List.copyOf(frequencies);
      namingRates = List.copyOf(namingRates);
    }

    /** An outcome's statistics on a batch of one model: no model comparison. */
    public OutcomeAnalysis(String name, DeclaredOutcome.Type type, DeclaredOutcome.Per per, @Nullable Summary summary,
        List<EntityEffect> entityEffects, List<EntitySummary> byEntity, List<AttributeSummary> byAttribute,
        List<CompositionEffect> composition, @Nullable Icc icc, List<Frequency> frequencies,
        List<NamingRate> namingRates) {
      this(name, type, per, summary, entityEffects, byEntity, byAttribute, composition, icc, frequencies, namingRates,
          null);
    }

    /** This analysis with {@code comparison} as its model comparison. */
    OutcomeAnalysis withModels(ModelComparison comparison) {
      return new OutcomeAnalysis(name, type, per, summary, entityEffects, byEntity, byAttribute, composition, icc,
          frequencies, namingRates, comparison);
    }
  }

  /**
   * How an outcome differs between the simulations an entity took part in and the others: Welch's
   * two-sample t, {@code with − without}.
   *
   * @param entityId the entity
   * @param entityName its name when the batch was created
   * @param with the outcome in simulations with the entity
   * @param without the outcome in simulations without it
   * @param difference {@code with.mean − without.mean}
   * @param ciLow the lower end of the difference's 95 % Welch interval (NaN when either group has
   *     fewer than two values or both have no variance)
   * @param ciHigh its upper end
   * @param df Welch–Satterthwaite degrees of freedom
   * @param t the t statistic
   * @param p the two-sided p-value
   * @param pHolm the p-value adjusted across the batch's entities by Holm's method
   */
  public record EntityEffect(
      String entityId, String entityName, Summary with, Summary without, double difference, double ciLow,
      double ciHigh, double df, double t, double p, double pHolm) {}

  /**
   * A per-participant outcome's values given by one entity.
   *
   * @param entityId the entity
   * @param entityName its name when the batch was created
   * @param summary its values
   */
  public record EntitySummary(String entityId, String entityName, Summary summary) {}

  /**
   * A per-participant outcome's values given by entities with one value of a categorical attribute.
   *
   * @param attribute the attribute's name
   * @param value the attribute's value, as text
   * @param summary their values
   */
  public record AttributeSummary(String attribute, String value, Summary summary) {}

  /**
   * A simulation-level outcome by how many members with {@code attribute = value} the group had.
   *
   * @param attribute a categorical attribute of the pool
   * @param value one of its values, as text
   * @param byMembers one summary per member count that occurred, fewest first
   */
  public record CompositionEffect(String attribute, String value, List<MemberCount> byMembers) {
    public CompositionEffect {
      byMembers = List.copyOf(byMembers);
    }
  }

  /**
   * The outcome in groups with {@code members} members of a value.
   *
   * @param members how many members had the value
   * @param summary the outcome in those groups
   */
  public record MemberCount(int members, Summary summary) {}

  /**
   * One-way random-effects analysis of the groups (combinations) that ran more than once: does the
   * group or the model's randomness drive the outcome? ICC(1) with the unbalanced-design group size
   * n0 = (N − Σnᵢ²/N)/(k − 1). Only replicated groups count.
   *
   * @param groups k, the replicated groups
   * @param observations N, their simulations
   * @param meanSquareBetween mean square between groups, k − 1 degrees of freedom
   * @param meanSquareWithin mean square within groups, N − k degrees of freedom
   * @param f their ratio
   * @param p the F test's p-value
   * @param icc (MSB − MSW) / (MSB + (n0 − 1)·MSW): near 1, the group decides; near 0 or below, noise
   */
  public record Icc(long groups, long observations, double meanSquareBetween, double meanSquareWithin, double f,
      double p, double icc) {}

  /**
   * How often one answer was given.
   *
   * @param value the answer (an enum value, or an entity id for entity outcomes)
   * @param label how to show it (the entity's name for entity outcomes, else the value)
   * @param count how many answers it was
   * @param share count / all answers
   */
  public record Frequency(String value, String label, long count, double share) {}

  /**
   * How often an entity was named by an entity outcome, relative to how often it could have been.
   *
   * @param entityId the entity
   * @param entityName its name
   * @param named how many answers named it
   * @param appearances how many answers it could have been named in (it was a participant)
   * @param rate named / appearances (NaN when it never appeared)
   */
  public record NamingRate(String entityId, String entityName, long named, long appearances, double rate) {}
}
