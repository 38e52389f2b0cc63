package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a batch should simulate: a shared context, a pool of entity ids, the group size k, how many
 * groups to draw, and how long each conversation runs. Built with {@link #builder()}; {@link
 * Builder#build()} checks every field and throws one {@link ValidationException} that names all
 * bad fields by their snake_case names ({@code interaction_size}, {@code n_turns}…).
 *
 * <p>Immutable. Whether the entity ids exist is checked when the batch is created, not here.
 */
public final class BatchRequest {
  /** Style used when none is given. */
  public static final String DEFAULT_INTERACTION_STYLE = "discussion";
  /** Language used when none is given. */
  public static final String DEFAULT_LANGUAGE = "English";
  /** Most simulations one batch may request, before replicates. */
  public static final int MAX_SIMULATIONS = 10_000_000;
  /** Most turns per round. */
  public static final int MAX_TURNS = 1_000;
  /** Most rounds per simulation. */
  public static final int MAX_ROUNDS = 1_000;
  /** Most replicates per combination. */
  public static final int MAX_REPLICATES = 10_000;
  /** Longest accepted context, in characters. */
  public static final int MAX_CONTEXT_LENGTH = 200_000;
  /** Longest accepted name, in characters. */
  public static final int MAX_NAME_LENGTH = 500;
  /**
   * How many times a completed simulation with a flag {@link #rerunFlagged()} names is played
   * again: once, then the better of the two attempts is kept.
   */
  public static final int MAX_RERUNS = 1;
  /** Mode used when none is given. */
  public static final SimulationMode DEFAULT_MODE = SimulationMode.SCRIPTED;
  /** What role-play speakers see of the others when nothing is given. */
  public static final Visibility DEFAULT_VISIBILITY = Visibility.DESCRIPTIONS;
  /** Execution used when none is given. */
  public static final Execution DEFAULT_EXECUTION = Execution.DIRECT;

  private final String name;
  private final @Nullable String description;
  private final String context;
  private final List<String> entityIds;
  private final int interactionSize;
  private final int numSimulations;
  private final int nTurns;
  private final int simulationRounds;
  private final Map<String, @Nullable Object> metadata;
  private final String interactionStyle;
  private final List<DeclaredOutcome> outcomes;
  private final @Nullable String outcomeModel;
  private final String language;
  private final @Nullable Long seed;
  private final int replicates;
  private final LlmOptions llm;
  private final SimulationMode mode;
  private final Visibility visibility;
  private final Execution execution;
  private final @Nullable Double maxCostUsd;
  private final @Nullable Long maxTotalTokens;
  private final Design design;
  private final Constraints constraints;
  private final SpeakingOrder speakingOrder;
  private final List<Extension> extensions;
  private final Set<QualityFlag> rerunFlagged;
  private final ModelFactor modelFactor;

  private BatchRequest(Builder b, Map<String, @Nullable Object> metadata) {
    this.name = Objects.requireNonNull(b.name);
    this.description = b.description;
    this.context = Objects.requireNonNull(b.context);
    this.entityIds = List.copyOf(b.entityIds);
    this.interactionSize = b.interactionSize;
    this.numSimulations = b.numSimulations;
    this.outcomes = List.copyOf(b.outcomes);
    this.outcomeModel = b.outcomeModel;
    this.nTurns = b.nTurns;
    this.simulationRounds = b.simulationRounds;
    this.metadata = metadata;
    this.interactionStyle = b.interactionStyle;
    this.language = b.language;
    this.seed = b.seed;
    this.replicates = b.replicates;
    this.llm = b.llm;
    this.mode = Objects.requireNonNull(b.mode);
    this.visibility = Objects.requireNonNull(b.visibility);
    this.execution = Objects.requireNonNull(b.execution);
    this.maxCostUsd = b.maxCostUsd;
    this.maxTotalTokens = b.maxTotalTokens;
    this.design = b.design;
    this.constraints = b.constraints;
    this.speakingOrder = b.speakingOrder;
    this.extensions = List.copyOf(b.extensions);
    this.rerunFlagged = RerunFlagged.copy(b.rerunFlagged);
    this.modelFactor = new ModelFactor(Objects.requireNonNull(b.models), Objects.requireNonNull(b.modelAssignment),
        Objects.requireNonNull(b.participantModels));
  }

  /** A new builder with the defaults: 1 turn, 1 round, 1 replicate, "discussion", "English". */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.description = description;
    b.outcomes = outcomes;
    b.outcomeModel = outcomeModel;
    b.context = context;
    b.entityIds = new ArrayList<>(entityIds);
    b.interactionSize = interactionSize;
    b.numSimulations = numSimulations;
    b.nTurns = nTurns;
    b.simulationRounds = simulationRounds;
    b.metadata = metadata;
    b.interactionStyle = interactionStyle;
    b.language = language;
    b.seed = seed;
    b.replicates = replicates;
    b.llm = llm;
    b.mode = mode;
    b.visibility = visibility;
    b.execution = execution;
    b.maxCostUsd = maxCostUsd;
    b.maxTotalTokens = maxTotalTokens;
    b.design = design;
    b.constraints = constraints;
    b.speakingOrder = speakingOrder;
    b.extensions = new ArrayList<>(extensions);
    b.rerunFlagged = rerunFlagged;
    b.models = new ArrayList<>(modelFactor.models());
    b.modelAssignment = modelFactor.assignment();
    b.participantModels = new LinkedHashMap<>(modelFactor.participantModels());
    return b;
  }

  /**
   * The most the batch may spend in US dollars ({@code max_cost_usd}), or null for no money cap.
   * Before each call the runner reserves its estimated cost; when spent plus reserved would pass
   * this, no new call starts and the batch ends cancelled, resumable with a higher budget.
   */
  public @Nullable Double maxCostUsd() {
    return maxCostUsd;
  }

  /** The most tokens (prompt plus completion) the batch may use ({@code max_total_tokens}), or null for no cap. */
  public @Nullable Long maxTotalTokens() {
    return maxTotalTokens;
  }

  /** The batch's name. */
  public String name() {
    return name;
  }

  /** What the batch is about, or null. */
  public @Nullable String description() {
    return description;
  }

  /** The situation every simulation of the batch shares. */
  public String context() {
    return context;
  }

  /** The pool of entity ids (n of them, distinct, in the order given). */
  public List<String> entityIds() {
    return entityIds;
  }

  /** k: entities per simulation (1 solo, 2 dyadic, 3+ group). */
  public int interactionSize() {
    return interactionSize;
  }

  /** N: how many distinct combinations to simulate (fewer are planned when C(n,k) &lt; N). */
  public int numSimulations() {
    return numSimulations;
  }

  /** Turns per round. */
  public int nTurns() {
    return nTurns;
  }

  /** Rounds per simulation. */
  public int simulationRounds() {
    return simulationRounds;
  }

  /** Free-form JSON metadata, kept with the batch. */
  public Map<String, @Nullable Object> metadata() {
    return metadata;
  }

  /** How the participants interact, such as "discussion" or "debate". */
  public String interactionStyle() {
    return interactionStyle;
  }

  /** The language the participants speak. */
  public String language() {
    return language;
  }

  /** The seed of every random choice, or null for one drawn at creation (and then stored). */
  public @Nullable Long seed() {
    return seed;
  }

  /** How many times each planned combination runs, each as its own simulation. */
  public int replicates() {
    return replicates;
  }

  /** Model settings for the batch's calls. */
  public LlmOptions llm() {
    return llm;
  }

  /** How the conversations are written: scripted (one call per round) or role-play (one per turn). */
  public SimulationMode mode() {
    return mode;
  }

  /** What a role-play speaker sees of the other participants; scripted mode ignores it. */
  public Visibility visibility() {
    return visibility;
  }

  /** How the batch's calls are sent: one by one, or as provider batch jobs. */
  public Execution execution() {
    return execution;
  }

  /**
   * What is measured in every simulation once its dialogue is over, asked of the model in one
   * extraction call; empty when nothing is.
   */
  public List<DeclaredOutcome> outcomes() {
    return outcomes;
  }

  /** The model that extracts the outcomes, or null for the batch's own model. */
  public @Nullable String outcomeModel() {
    return outcomeModel;
  }

  /**
   * The quality flags that make a completed simulation play again with another seed ({@code
   * rerun_flagged}), at most {@link #MAX_RERUNS} time (the "once"), keeping the better attempt and
   * the other in its attempt history; empty (the default) when flagged simulations are kept as
   * they are. Unmodifiable, in flag order.
   */
  public Set<QualityFlag> rerunFlagged() {
    return rerunFlagged;
  }

  /** How the groups are chosen; {@link Design#random()} unless set. */
  public Design design() {
    return design;
  }

  /** What every drawn group must satisfy; {@link Constraints#NONE} unless set. */
  public Constraints constraints() {
    return constraints;
  }

  /** How each simulation's speaking order is chosen; {@link SpeakingOrder#RANDOM} unless set. */
  public SpeakingOrder speakingOrder() {
    return speakingOrder;
  }

  /** The batch's growths by {@code Cohort.extend}, oldest first; empty for a new request. */
  public List<Extension> extensions() {
    return extensions;
  }

  /**
   * The registry names the batch runs on ({@code models}), in order; empty (the default) for the
   * {@code Cohort}'s one model. Each must be a name of the {@code Cohort}'s {@code ModelRegistry}.
   */
  public List<String> models() {
    return modelFactor.models();
  }

  /** How the simulations get their model when {@link #models()} names several; crossed by default. */
  public ModelAssignment modelAssignment() {
    return modelFactor.assignment();
  }

  /** Entity id → registry name of the participants with a model of their own (role-play); empty by default. */
  public Map<String, String> participantModels() {
    return modelFactor.participantModels();
  }

  /** {@link #models()}, {@link #modelAssignment()} and {@link #participantModels()} together. */
  public ModelFactor modelFactor() {
    return modelFactor;
  }

  /** num_simulations plus every extension's: how many groups the batch has asked for in all. */
  public int totalNumSimulations() {
    long total = numSimulations;
    for (Extension e : extensions) {
      total += e.numSimulations();
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  /** turns per round × rounds: the number of the last turn of every simulation. */
  public int finalTurnNumber() {
    return nTurns * simulationRounds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchRequest r
        && name.equals(r.name)
        && Objects.equals(description, r.description)
        && context.equals(r.context)
        && entityIds.equals(r.entityIds)
        && interactionSize == r.interactionSize
        && numSimulations == r.numSimulations
        && nTurns == r.nTurns
        && simulationRounds == r.simulationRounds
        && metadata.equals(r.metadata)
        && interactionStyle.equals(r.interactionStyle)
        && language.equals(r.language)
        && Objects.equals(seed, r.seed)
        && replicates == r.replicates
        && llm.equals(r.llm)
        && mode == r.mode
        && visibility == r.visibility
        && execution == r.execution
        && Objects.equals(maxCostUsd, r.maxCostUsd)
        && Objects.equals(maxTotalTokens, r.maxTotalTokens)
        && outcomes.equals(r.outcomes)
        && Objects.equals(outcomeModel, r.outcomeModel)
        && design.equals(r.design)
        && constraints.equals(r.constraints)
        && speakingOrder == r.speakingOrder
        && extensions.equals(r.extensions)
        && rerunFlagged.equals(r.rerunFlagged)
        && modelFactor.equals(r.modelFactor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, context, entityIds, interactionSize, numSimulations, seed);
  }

  @Override
  public String toString() {
    return "BatchRequest[name=" + name + ", entities=" + entityIds.size() + ", k=" + interactionSize
        + ", N=" + numSimulations + ", turns=" + nTurns + ", rounds=" + simulationRounds
        + ", replicates=" + replicates + ", seed=" + seed + ", mode=" + mode.wireName() + "]";
  }

  /** Collects a request's fields; {@link #build()} validates them all at once. */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String description;
    private @Nullable String context;
    private @Nullable List<String> entityIds;
    private int interactionSize;
    private int numSimulations;
    private int nTurns = 1;
    private int simulationRounds = 1;
    private Map<String, ?> metadata = Map.of();
    private String interactionStyle = DEFAULT_INTERACTION_STYLE;
    private List<DeclaredOutcome> outcomes = List.of();
    private @Nullable String outcomeModel;
    private @Nullable Collection<QualityFlag> rerunFlagged = Set.of();
    private String language = DEFAULT_LANGUAGE;
    private @Nullable Long seed;
    private int replicates = 1;
    private LlmOptions llm = LlmOptions.DEFAULTS;
    private SimulationMode mode = DEFAULT_MODE;
    private Visibility visibility = DEFAULT_VISIBILITY;
    private Execution execution = DEFAULT_EXECUTION;
    private @Nullable Double maxCostUsd;
    private @Nullable Long maxTotalTokens;
    private Design design = Design.random();
    private Constraints constraints = Constraints.NONE;
    private SpeakingOrder speakingOrder = SpeakingOrder.RANDOM;
    private List<Extension> extensions = new ArrayList<>();
    private @Nullable List<String> models = new ArrayList<>();
    private @Nullable ModelAssignment modelAssignment = ModelAssignment.CROSSED;
    private @Nullable Map<String, String> participantModels = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The registry names to run the batch on ({@code models}); default none, the {@code Cohort}'s
     * one model. Checked by {@link #build()}: no blank or repeated name, not with {@code llm.model}.
     */
    public Builder models(List<String> models) {
      this.models = models == null ? null : new ArrayList<>(models);
      return this;
    }

    /** The registry names to run the batch on; see {@link #models(List)}. */
    public Builder models(String... models) {
      return models(Arrays.asList(models));
    }

    /** How simulations get a model when several are named ({@code model_assignment}); default crossed. */
    public Builder modelAssignment(ModelAssignment modelAssignment) {
      this.modelAssignment = modelAssignment;
      return this;
    }

    /**
     * Participants that speak through a model of their own ({@code participant_models}): entity
     * id → registry name; role-play only. Default none.
     */
    public Builder participantModels(Map<String, String> participantModels) {
      this.participantModels = participantModels == null ? null : new LinkedHashMap<>(participantModels);
      return this;
    }

    /**
     * How the groups are chosen; default {@link Design#random()}. With an explicit design,
     * num_simulations may be left out: it is the number of groups.
     */
    public Builder design(Design design) {
      this.design = design;
      return this;
    }

    /** What every group of a random or balanced design must satisfy; default none. */
    public Builder constraints(Constraints constraints) {
      this.constraints = constraints;
      return this;
    }

    /** How each simulation's speaking order is chosen; default {@link SpeakingOrder#RANDOM}. */
    public Builder speakingOrder(SpeakingOrder speakingOrder) {
      this.speakingOrder = speakingOrder;
      return this;
    }

    /** The batch's growths so far, as stored; set by {@code Cohort.extend}, not by users creating a batch. */
    public Builder extensions(List<Extension> extensions) {
      this.extensions = extensions == null ? null : new ArrayList<>(extensions);
      return this;
    }

    /** Required: the batch's name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Optional description. */
    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    /** Required: the situation every simulation shares. */
    public Builder context(String context) {
      this.context = context;
      return this;
    }

    /** Required: the pool of distinct entity ids. */
    public Builder entityIds(List<String> entityIds) {
      this.entityIds = entityIds == null ? null : new ArrayList<>(entityIds);
      return this;
    }

    /** Required: the pool of distinct entity ids. */
    public Builder entityIds(String... entityIds) {
      return entityIds(List.of(entityIds));
    }

    /** Required: entities per simulation, 1 to the pool size. */
    public Builder interactionSize(int interactionSize) {
      this.interactionSize = interactionSize;
      return this;
    }

    /** Required: how many combinations to simulate, 1 to {@value #MAX_SIMULATIONS}. */
    public Builder numSimulations(int numSimulations) {
      this.numSimulations = numSimulations;
      return this;
    }

    /** Turns per round, 1 to {@value #MAX_TURNS}; default 1. */
    public Builder nTurns(int nTurns) {
      this.nTurns = nTurns;
      return this;
    }

    /** Rounds per simulation, 1 to {@value #MAX_ROUNDS}; default 1. */
    public Builder simulationRounds(int simulationRounds) {
      this.simulationRounds = simulationRounds;
      return this;
    }

    /** Free-form JSON metadata (strings, numbers, booleans, null, lists and maps of them). */
    public Builder metadata(Map<String, ?> metadata) {
      this.metadata = metadata;
      return this;
    }

    /** How the participants interact; default {@value #DEFAULT_INTERACTION_STYLE}. */
    public Builder interactionStyle(String interactionStyle) {
      this.interactionStyle = interactionStyle;
      return this;
    }

    /** The participants' language; default {@value #DEFAULT_LANGUAGE}. */
    public Builder language(String language) {
      this.language = language;
      return this;
    }

    /** The seed of every random choice; null draws one at creation. */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** Runs per combination, 1 to {@value #MAX_REPLICATES}; default 1. */
    public Builder replicates(int replicates) {
      this.replicates = replicates;
      return this;
    }

    /** Model settings; default {@link LlmOptions#DEFAULTS}. */
    public Builder llm(LlmOptions llm) {
      this.llm = llm;
      return this;
    }

    /** Scripted (one call per round, the default) or role-play (one call per turn, for its speaker). */
    public Builder mode(SimulationMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * What a role-play speaker sees of the other participants; default {@link Visibility#DESCRIPTIONS}.
     * Scripted mode ignores it.
     */
    public Builder visibility(Visibility visibility) {
      this.visibility = visibility;
      return this;
    }

    /** The most the batch may spend in US dollars, greater than 0; null (the default) for no money cap. */
    public Builder maxCostUsd(@Nullable Double maxCostUsd) {
      this.maxCostUsd = maxCostUsd;
      return this;
    }

    /** The most tokens the batch may use, at least 1; null (the default) for no token cap. */
    public Builder maxTotalTokens(@Nullable Long maxTotalTokens) {
      this.maxTotalTokens = maxTotalTokens;
      return this;
    }

    /**
     * What to measure in every simulation once its dialogue is over; default none. Checked by
     * {@link #build()}: names unique identifiers, ranges on numbers only, values on enums only.
     */
    public Builder outcomes(List<DeclaredOutcome> outcomes) {
      this.outcomes = outcomes == null ? null : new ArrayList<>(outcomes);
      return this;
    }

    /**
     * How the batch's calls are sent, default {@link Execution#DIRECT}. {@link Execution#BATCH_API}
     * needs a model that implements {@link dev.cohort.core.port.BatchJobPort}; it runs scripted and role-play batches.
     */
    public Builder execution(Execution execution) {
      this.execution = execution;
      return this;
    }

    /** The model that extracts the outcomes; null (the default) uses the batch's model. */
    public Builder outcomeModel(@Nullable String outcomeModel) {
      this.outcomeModel = outcomeModel;
      return this;
    }

    /**
     * The quality flags that make a completed simulation play again ({@code rerun_flagged}); empty
     * (the default) for none. Checked by {@link #build()}: {@code duplicate_transcript} is refused,
     * it is only known once the whole batch has ended.
     */
    public Builder rerunFlagged(Collection<QualityFlag> flags) {
      this.rerunFlagged = flags == null ? null : new ArrayList<>(flags);
      return this;
    }

    /**
     * Validates every field and builds the request.
     *
     * @throws ValidationException naming every bad field
     */
    public BatchRequest build() {
      List<FieldError> errors = new ArrayList<>();
      requireText(errors, "name", name, MAX_NAME_LENGTH);
      requireText(errors, "context", context, MAX_CONTEXT_LENGTH);
      if (description != null && description.length() > MAX_CONTEXT_LENGTH) {
        errors.add(new FieldError("description", "is longer than " + MAX_CONTEXT_LENGTH + " characters"));
      }
      int poolSize = checkEntityIds(errors);
      if (interactionSize < 1) {
        errors.add(new FieldError("interaction_size", "must be at least 1, was " + interactionSize));
      } else if (poolSize > 0 && interactionSize > entityIds.size()) {
        errors.add(new FieldError("interaction_size", "is " + interactionSize + " but only " + poolSize
            + (poolSize == entityIds.size() ? "" : " distinct") + " entities were given"));
      }
      // With a repeated or blank id, a size that the list's length would allow is left to the
      // entity_ids error, which says what is wrong: the repeated id, not the group size.
      if (design != null && design.type() == DesignType.EXPLICIT && numSimulations == 0) {
        numSimulations = design.groups().size();
      }
      checkRange(errors, "num_simulations", numSimulations, MAX_SIMULATIONS);
      DesignRules.check(errors, design, constraints, speakingOrder, extensions, entityIds, interactionSize,
          numSimulations);
      checkRange(errors, "n_turns", nTurns, MAX_TURNS);
      checkRange(errors, "simulation_rounds", simulationRounds, MAX_ROUNDS);
      checkRange(errors, "replicates", replicates, MAX_REPLICATES);
      requireText(errors, "interaction_style", interactionStyle, MAX_NAME_LENGTH);
      requireText(errors, "language", language, MAX_NAME_LENGTH);
      Map<String, @Nullable Object> copiedMetadata = new LinkedHashMap<>();
      if (metadata == null) {
        errors.add(new FieldError("metadata", "must not be null; leave it out for none"));
      } else {
        try {
          copiedMetadata = JsonValues.copyObject(metadata, "metadata");
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("metadata", e.getMessage()));
        }
      }
      checkLlm(errors);
      DeclaredOutcome.check(outcomes, "outcomes", errors);
      if (outcomeModel != null && (outcomeModel.isBlank() || outcomeModel.length() > MAX_NAME_LENGTH)) {
        errors.add(new FieldError("outcome_model", "must be a non-blank name of at most " + MAX_NAME_LENGTH
            + " characters"));
      }
      RerunFlagged.check(rerunFlagged, errors);
      if (mode == null) {
        errors.add(new FieldError("mode", "must not be null; leave it out for " + DEFAULT_MODE.wireName()));
      }
      if (execution == null) {
        errors.add(new FieldError("execution", "must not be null; leave it out for " + DEFAULT_EXECUTION.wireName()));
      }
      if (visibility == null) {
        errors.add(new FieldError("visibility", "must not be null; leave it out for "
            + DEFAULT_VISIBILITY.wireName()));
      }
      if (maxCostUsd != null && !(maxCostUsd > 0 && Double.isFinite(maxCostUsd))) {
        errors.add(new FieldError("max_cost_usd", "must be a number of US dollars greater than 0, was " + maxCostUsd));
      }
      if (maxTotalTokens != null && maxTotalTokens < 1) {
        errors.add(new FieldError("max_total_tokens", "must be at least 1, was " + maxTotalTokens));
      }
      ModelFactor.check(errors, models, modelAssignment, participantModels, entityIds, mode,
          llm == null ? null : llm.model());
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      return new BatchRequest(this, copiedMetadata);
    }

    private int checkEntityIds(List<FieldError> errors) {
      if (entityIds == null || entityIds.isEmpty()) {
        errors.add(new FieldError("entity_ids", "must name at least one entity"));
        return 0;
      }
      Set<String> seen = new HashSet<>();
      Set<String> duplicates = new java.util.TreeSet<>();
      for (int i = 0; i < entityIds.size(); i++) {
        String id = entityIds.get(i);
        if (id == null || id.isBlank()) {
          errors.add(new FieldError("entity_ids", "element " + i + " is blank"));
        } else if (!seen.add(id)) {
          duplicates.add(id);
        }
      }
      if (duplicates.size() == 1) {
        errors.add(new FieldError("entity_ids", "names entity '" + duplicates.iterator().next()
            + "' more than once; each entity may appear once"));
      } else if (!duplicates.isEmpty()) {
        errors.add(new FieldError("entity_ids", "names entities " + String.join(", ", duplicates)
            + " more than once; each entity may appear once"));
      }
      return seen.size();
    }

    private void checkLlm(List<FieldError> errors) {
      if (llm == null) {
        errors.add(new FieldError("llm", "must not be null; use LlmOptions.DEFAULTS"));
        return;
      }
      Double t = llm.temperature();
      if (t != null && !(t >= 0 && t <= 2)) {
        errors.add(new FieldError("temperature", "must be between 0 and 2, was " + t));
      }
      Integer max = llm.maxTokens();
      if (max != null && max < 1) {
        errors.add(new FieldError("max_tokens", "must be at least 1, was " + max));
      }
      String model = llm.model();
      if (model != null && (model.isBlank() || model.length() > MAX_NAME_LENGTH)) {
        errors.add(new FieldError("model", "must be a non-blank name of at most " + MAX_NAME_LENGTH + " characters"));
      }
    }

    private static void checkRange(List<FieldError> errors, String field, int value, int max) {
      if (value < 1 || value > max) {
        errors.add(new FieldError(field, "must be between 1 and " + max + ", was " + value));
      }
    }

    private static void requireText(List<FieldError> errors, String field, @Nullable String value, int max) {
      if (value == null || value.isBlank()) {
        errors.add(new FieldError(field, "is required and must not be blank"));
      } else if (value.length() > max) {
        errors.add(new FieldError(field, "is " + value.length() + " characters; at most " + max + " are allowed"));
      }
    }
  }
}
