package dev.cohort.core.internal.batchapi;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.LlmPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider batch-job capability of each model a {@code batch_api} batch may send requests to:
 * the one of each registry name whose {@link LlmPort} is a {@link BatchJobPort}, and the one of the
 * {@code Cohort}'s one model (for requests of no registry name). The coordinator sends each model's
 * requests to its own provider, and polls each stored job where {@link
 * dev.cohort.core.port.ProviderJob#model()} says it runs. Immutable.
 */
public final class BatchJobPorts {
  private final @Nullable LlmPort fallback;
  private final Map<String, LlmPort> named;

  private BatchJobPorts(@Nullable LlmPort fallback, Map<String, LlmPort> named) {
    this.fallback = fallback;
    this.named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
  }

  /**
   * @param fallback the {@code Cohort}'s one model, for requests of no registry name; null for none
   * @param named the model of each registry name, in registry order
   */
  public static BatchJobPorts of(@Nullable LlmPort fallback, Map<String, LlmPort> named) {
    return new BatchJobPorts(fallback, Objects.requireNonNull(named, "named"));
  }

  /** Whether no model here runs provider batch jobs. */
  public boolean isEmpty() {
    if (fallback instanceof BatchJobPort) {
      return false;
    }
    for (LlmPort llm : named.values()) {
      if (llm instanceof BatchJobPort) {
        return false;
      }
    }
    return true;
  }

  /**
   * The batch-job capability of registry model {@code model} (null: the {@code Cohort}'s one
   * model), or null when that model is unknown here or runs no provider batch jobs.
   */
  public @Nullable BatchJobPort find(@Nullable String model) {
    LlmPort llm = model == null ? fallback : named.get(model);
    return llm instanceof BatchJobPort port ? port : null;
  }

  /**
   * The models here whose provider runs batch jobs: null (the {@code Cohort}'s one model) first
   * when it does, then registry names in registry order.
   */
  List<@Nullable String> modelsWithJobs() {
    List<@Nullable String> models = new ArrayList<>();
    if (find(null) != null) {
      models.add(null);
    }
    for (String name : named.keySet()) {
      if (find(name) != null) {
        models.add(name);
      }
    }
    return models;
  }

  /**
   * Like {@link #find}, for a job already submitted: its provider must be reachable from here.
   *
   * @throws CohortException naming the model when it is unknown here or runs no provider batch jobs
   */
  BatchJobPort require(@Nullable String model) {
    BatchJobPort port = find(model);
    if (port == null) {
      throw new CohortException(whyNot(model) + "; run the batch with the model registry it was created with");
    }
    return port;
  }

  /** Why {@code model}'s requests cannot go into provider jobs here. */
  String whyNot(@Nullable String model) {
    if (model == null) {
      return "this worker's model (" + (fallback == null ? "none" : fallback.describe())
          + ") runs no provider batch jobs";
    }
    LlmPort llm = named.get(model);
    return llm == null
        ? "model '" + model + "' is not in this instance's model registry (it has: "
            + (named.isEmpty() ? "no named models" : String.join(", ", named.keySet())) + ")"
        : "model '" + model + "' (" + llm.describe() + ") runs no provider batch jobs";
  }

  /**
   * Every registry model {@code request} names must run provider batch jobs for execution {@code
   * batch_api}: the models of its factor and its {@code outcome_model}. Names not in the registry
   * are left to the check of known models; an {@code outcome_model} that is a provider model id
   * must be the batch's own, since a job holds one model's requests and such an id would go to the
   * batch's provider.
   *
   * @throws ValidationException naming the field and each model that runs none
   */
  public void requireJobsFor(BatchRequest request) {
    List<FieldError> errors = new ArrayList<>();
    ModelFactor factor = request.modelFactor();
    for (String name : factor.models()) {
      if (named.containsKey(name) && find(name) == null) {
        errors.add(new FieldError("models", notForBatchApi(name)));
      }
    }
    factor.participantModels().forEach((entity, name) -> {
      if (named.containsKey(name) && find(name) == null) {
        errors.add(new FieldError("participant_models." + entity, notForBatchApi(name)));
      }
    });
    String outcomeModel = request.outcomeModel();
    if (outcomeModel != null && named.containsKey(outcomeModel)) {
      if (find(outcomeModel) == null) {
        errors.add(new FieldError("outcome_model", notForBatchApi(outcomeModel)));
      }
    } else if (outcomeModel != null && !outcomeModel.equals(request.llm().model())) {
      errors.add(new FieldError("outcome_model", "with execution batch_api, an outcome_model must name a model of"
          + " the model registry (its extractions go into that model's own jobs) or equal llm.model; a provider"
          + " model id of the batch's provider would share the batch's jobs, which hold one model's requests;"
          + " was " + outcomeModel + (named.isEmpty() ? " (this instance has no model registry)"
          : " (the registry has: " + String.join(", ", named.keySet()) + ")")));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /** Whether {@code model} is a name of this instance's model registry. */
  public boolean isRegistryName(String model) {
    return named.containsKey(model);
  }

  private String notForBatchApi(String name) {
    return "names model '" + name + "', which runs no provider batch jobs (" + named.get(name).describe()
        + "), but execution batch_api sends every request of the batch to its model's batch API; use a model"
        + " such as OpenAiChatModel with OpenAI or Azure OpenAI, or execution direct";
  }
}
