package dev.cohort.core.internal.batchapi;

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
   * Every registry model {@code factor} names must run provider batch jobs for execution {@code
   * batch_api}. Names not in the registry are left to the check of known models.
   *
   * @throws ValidationException naming the field and each model that runs none
   */
  public void requireJobsFor(ModelFactor factor) {
    List<FieldError> errors = new ArrayList<>();
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
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private String notForBatchApi(String name) {
    return "names model '" + name + "', which runs no provider batch jobs (" + named.get(name).describe()
        + "), but execution batch_api sends every request of the batch to its model's batch API; use a model"
        + " such as OpenAiChatModel with OpenAI or Azure OpenAI, or execution direct";
  }
}
