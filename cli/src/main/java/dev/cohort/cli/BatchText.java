package dev.cohort.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchCounts;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.codec.FlagsText;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** How batches read in the terminal: the summary after a run, the details of {@code batches show}. */
final class BatchText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchText() {}

  /**
   * The summary printed when a batch stops: status, counts, tokens, quality flags ({@code Flags: 12
   * repetition, 3 refusal}) and time, and what to do next
   * when it did not complete. {@code dbFlag} is the {@code --db} flag to repeat in those hints
   * ({@code ""} for the default store).
   */
  static void summary(PrintWriter out, Batch batch, Duration elapsed, String dbFlag, @Nullable Simulation firstFailure) {
    BatchCounts c = batch.counts();
    out.println("Status: " + batch.status().wireName());
    StringBuilder simulations = new StringBuilder("Simulations: " + c.completed() + " of " + c.total() + " completed");
    if (c.failed() > 0) {
      simulations.append(", ").append(c.failed()).append(" failed");
    }
    if (c.cancelled() > 0) {
      simulations.append(", ").append(c.cancelled()).append(" cancelled");
    }
    if (c.unfinished() > 0) {
      simulations.append(", ").append(c.unfinished()).append(" unfinished");
    }
    if (batch.requestedSimulations() != batch.plannedSimulations()) {
      simulations.append(" (").append(batch.requestedSimulations()).append(" requested; only ")
          .append(batch.plannedSimulations()).append(" exist)");
    }
    out.println(simulations);
    out.println("Tokens: " + tokens(batch.usage()));
    out.println("Cost: " + cost(batch));
    out.println("Flags: " + FlagsText.describe(batch.flagCounts()));
    out.println("Time: " + Formats.elapsed(elapsed));
    if (batch.error() != null) {
      out.println("Error: " + batch.error());
    }
    if (firstFailure != null) {
      out.println("First failure: #" + firstFailure.sequenceNumber() + ": " + firstFailure.error());
    }
    if (c.failed() > 0) {
      out.println("Failures: cohort batches show " + batch.id() + dbFlag + " --simulations");
    }
    if (batch.status() == BatchStatus.CANCELLED || c.unfinished() > 0) {
      out.println("Resume with: cohort batches resume " + batch.id() + dbFlag);
    }
    out.flush();
  }

  /** Everything about the batch but its simulations. */
  static void details(PrintWriter out, Batch batch) {
    BatchRequest r = batch.request();
    BatchCounts c = batch.counts();
    out.println("ID: " + batch.id());
    out.println("Name: " + batch.name());
    if (batch.description() != null) {
      out.println("Description: " + batch.description());
    }
    out.println("Status: " + batch.status().wireName());
    out.println("Created: " + time(batch.createdAt()) + optional("  Started: ", batch.startedAt())
        + optional("  Finished: ", batch.finishedAt()));
    out.println("Context: " + r.context());
    out.println("Entities (" + batch.entities().size() + "): " + batch.entities().stream()
        .map(e -> e.name() + " [" + e.id() + "]").collect(Collectors.joining(", ")));
    out.println("Interaction size: " + r.interactionSize() + "  Turns: " + r.nTurns() + " per round, "
        + r.simulationRounds() + (r.simulationRounds() == 1 ? " round" : " rounds") + "  Replicates: "
        + r.replicates());
    out.println("Style: " + r.interactionStyle() + "  Language: " + r.language() + "  Seed: " + batch.seed()
        + (r.llm().model() != null ? "  Model: " + r.llm().model() : ""));
    out.println("Mode: " + r.mode().wireName()
        + (r.mode() == SimulationMode.ROLEPLAY ? "  Visibility: " + r.visibility().wireName() : ""));
    out.println("Simulations: " + c.total() + " planned (" + batch.requestedSimulations() + " requested): "
        + c.completed() + " completed, " + c.failed() + " failed, " + c.cancelled() + " cancelled, "
        + c.pending() + " pending, " + c.running() + " running");
    out.println("Tokens: " + tokens(batch.usage()));
    out.println("Cost: " + cost(batch));
    out.println("Flags: " + FlagsText.describe(batch.flagCounts()));
    if (!batch.metadata().isEmpty()) {
      out.println("Metadata: " + json(batch.metadata()));
    }
    if (batch.error() != null) {
      out.println("Error: " + batch.error());
    }
    out.flush();
  }

  /** One simulation: a heading line, its error if any, and its transcript indented. */
  static void simulation(PrintWriter out, Simulation s, List<Entity> entities) {
    out.println();
    String names = s.entityIds().stream().map(id -> nameOf(id, entities)).collect(Collectors.joining(", "));
    out.println("#" + s.sequenceNumber() + "  " + s.interactionType().wireName() + "  " + s.status().wireName()
        + "  " + names + "  [" + String.join(", ", s.entityIds()) + "]"
        + (s.plannedModel() != null ? "  model " + s.plannedModel() : ""));
    if (s.error() != null) {
      out.println("  Error: " + s.error());
    }
    if (!s.flags().isEmpty()) {
      out.println("  Flags: " + s.flags().stream().map(QualityFlag::wireName).collect(Collectors.joining(", ")));
    }
    String content = s.content();
    if (!content.isBlank()) {
      content.lines().forEach(line -> out.println(line.isEmpty() ? "" : "  " + line));
    }
    out.flush();
  }

  /** {@code 1,801 (1,234 prompt, 567 completion)}. */
  static String tokens(TokenUsage usage) {
    String cached = usage.cachedTokens() > 0 ? ", " + Formats.count(usage.cachedTokens()) + " cached" : "";
    String hits = usage.cacheHits() == 0 ? ""
        : "; " + Formats.count(usage.cacheHits()) + (usage.cacheHits() == 1 ? " answer" : " answers")
            + " from the response cache";
    return Formats.count(usage.totalTokens()) + " (" + Formats.count(usage.promptTokens()) + " prompt, "
        + Formats.count(usage.completionTokens()) + " completion" + cached + ")" + hits;
  }

  /**
   * {@code $1.23}, or, when a call's model has no price, {@code cost unknown (no price for MODEL;
   * see --prices)}: never $0 for an unknown cost. MODEL is the batch's model when it names one.
   */
  static String cost(Batch batch) {
    Double cost = batch.costUsd();
    if (cost != null) {
      return Formats.usd(cost);
    }
    String model = batch.request().llm().model();
    return "cost unknown (no price for " + (model != null ? model : "the model that answered") + "; see --prices)";
  }

  /** An instant to the second, in UTC: {@code 2025-03-07T12:34:56Z}. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String optional(String label, @Nullable Instant instant) {
    return instant == null ? "" : label + time(instant);
  }

  private static String nameOf(String id, List<Entity> entities) {
    return entities.stream().filter(e -> e.id().equals(id)).map(Entity::name).findFirst().orElse(id);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }
}
