package dev.cohort.cli;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ModelAssignment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The flags that make the model a design factor of a new batch: which named models of the
 * registry ({@code --model-registry}) it runs on, how simulations get one, and the participants
 * that speak through a model of their own.
 */
final class ModelFactorOptions {
  /** Request fields as these flags spell them. */
  static final Map<String, String> FLAGS = Map.of("models", "--models", "model_assignment", "--model-assignment",
      "participant_models", "--participant-models");

  @Option(names = "--models", paramLabel = "NAME[,NAME…]", split = ",",
      description = "Run the batch on these named models of the registry (--model-registry), compared side by side.")
  @Nullable List<String> models;

  @Option(names = "--model-assignment", paramLabel = "HOW",
      description = "crossed: every group runs once on every model (default); balanced: each simulation on one"
          + " model, every model equally often.")
  @Nullable String assignment;

  @Option(names = "--participant-models", paramLabel = "ENTITY=NAME[,ENTITY=NAME…]", split = ",",
      description = "Role-play: these participants speak through a named model of their own.")
  @Nullable List<String> participantModels;

  /** Sets the request's model fields from the flags given. */
  void applyTo(BatchRequest.Builder builder) {
    if (models != null) {
      builder.models(models.stream().map(String::strip).toList());
    }
    if (assignment != null) {
      try {
        builder.modelAssignment(ModelAssignment.fromWireName(assignment.strip().toLowerCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--model-assignment", e.getMessage());
      }
    }
    if (participantModels != null) {
      Map<String, String> byEntity = new LinkedHashMap<>();
      for (String pair : participantModels) {
        int equals = pair.indexOf('=');
        if (equals <= 0 || equals == pair.length() - 1) {
          throw new UsageException("--participant-models", "must be ENTITY=NAME pairs, was '" + pair + "'");
        }
        byEntity.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
      builder.participantModels(byEntity);
    }
  }
}
