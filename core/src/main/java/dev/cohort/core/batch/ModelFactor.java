package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The model as a design factor of a batch: the registry names it runs on, how its simulations get
 * one, and the participants that speak through a model of their own. {@link #NONE} runs the batch
 * on the {@code Cohort}'s one model.
 *
 * @param models registry names, in order; empty for the one model
 * @param assignment crossed (every group on every model) or balanced (one model per simulation)
 * @param participantModels entity id → registry name, for role-play batches with mixed-model
 *     conversations; empty for none
 */
public record ModelFactor(List<String> models, ModelAssignment assignment, Map<String, String> participantModels) {
  /** Most models one batch may name. */
  public static final int MAX_MODELS = 100;
  /** No factor: the batch runs on the one model. */
  public static final ModelFactor NONE = new ModelFactor(List.of(), ModelAssignment.CROSSED, Map.of());

  public ModelFactor {
    models = List.copyOf(models);
    Objects.requireNonNull(assignment, "assignment");
    participantModels = Collections.unmodifiableMap(new LinkedHashMap<>(participantModels));
  }

  /** Whether the batch names models of its own. */
  public boolean isEmpty() {
    return models.isEmpty() && participantModels.isEmpty();
  }

  /** How many simulations each planned group × replicate becomes: the model count when crossed, else 1. */
  public int copiesPerPlanned() {
    return assignment == ModelAssignment.CROSSED && models.size() > 1 ? models.size() : 1;
  }

  /**
   * The number a simulation's speaking order and call seeds are drawn from: in a crossed batch of
   * several models the planned group × replicate's own number, which its copies on every model
   * share; else the sequence number itself.
   */
  public int groupSequence(int sequenceNumber) {
    int copies = copiesPerPlanned();
    return copies == 1 ? sequenceNumber : (sequenceNumber - 1) / copies + 1;
  }

  /**
   * The registry name a participant speaks through: its own ({@link #participantModels()}), else
   * the one its simulation was planned for (null: the {@code Cohort}'s one model).
   */
  public @Nullable String speakerModel(@Nullable String plannedModel, String entityId) {
    String own = participantModels.get(entityId);
    return own != null ? own : plannedModel;
  }

  /** Every registry name the batch uses: its models, then the participants' own. */
  public Set<String> allNames() {
    Set<String> names = new java.util.LinkedHashSet<>(models);
    names.addAll(participantModels.values());
    return names;
  }

  /**
   * Adds an error for each bad part.
   *
   * @param entityIds the request's pool
   * @param mode the request's mode: participant models need one call per speaker (role-play)
   * @param llmModel the request's {@code llm.model}, which names one model for every call
   */
  static void check(List<FieldError> errors, @Nullable List<String> models, @Nullable ModelAssignment assignment,
      @Nullable Map<String, String> participantModels, @Nullable List<String> entityIds,
      @Nullable SimulationMode mode, @Nullable String llmModel) {
    if (models == null) {
      errors.add(new FieldError("models", "must not be null; leave it out for the one model"));
    } else {
      if (models.size() > MAX_MODELS) {
        errors.add(new FieldError("models", "names " + models.size() + " models, more than " + MAX_MODELS));
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < models.size(); i++) {
        String name = models.get(i);
        if (name == null || name.isBlank()) {
          errors.add(new FieldError("models[" + i + "]", "must be a model name, was blank"));
        } else if (!seen.add(name)) {
          errors.add(new FieldError("models[" + i + "]", "names '" + name + "' a second time"));
        }
      }
      if (!models.isEmpty() && llmModel != null) {
        errors.add(new FieldError("model", "names one model ('" + llmModel + "') for every call, but models names "
            + models.size() + "; give one of them"));
      }
    }
    if (assignment == null) {
      errors.add(new FieldError("model_assignment", "must not be null; leave it out for crossed"));
    }
    if (participantModels == null) {
      errors.add(new FieldError("participant_models", "must not be null; leave it out for none"));
      return;
    }
    if (!participantModels.isEmpty() && mode != SimulationMode.ROLEPLAY) {
      errors.add(new FieldError("participant_models", "needs mode roleplay (one call per speaker); scripted mode"
          + " writes every participant's turns in one call"));
    }
    Set<String> pool = entityIds == null ? Set.of() : new HashSet<>(entityIds);
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> e : participantModels.entrySet()) {
      if (!pool.contains(e.getKey())) {
        unknown.add(e.getKey());
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        errors.add(new FieldError("participant_models." + e.getKey(), "must be a model name, was blank"));
      }
    }
    if (!unknown.isEmpty()) {
      errors.add(new FieldError("participant_models", "names entity ids not in entity_ids: "
          + String.join(", ", unknown)));
    }
  }
}
