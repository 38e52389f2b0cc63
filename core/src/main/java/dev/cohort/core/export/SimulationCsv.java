package dev.cohort.core.export;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.internal.codec.FlagsText;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.SimulationStream;
import dev.cohort.core.port.RepositoryPort;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.OutputStream;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The CSV export: one row per simulation, the original system's nine columns first,  then Cohort's (its
 * {@code Flags}: quality flags joined by commas, {@code refusal,repetition}, empty for none),
 * and its {@code Model}: the registry name it was planned for, else the model the provider reported),
 * then one {@code outcome.NAME} column per declared simulation-level outcome.
 */
final class SimulationCsv {
  /** The header; the first nine columns are the original system's, in its order. */
  static final List<String> HEADER = List.of(
      "Simulation ID", "Sequence Number", "Interaction Type", "Entity IDs", "Entity Names",
      "Entity Descriptions", "Context", "Content", "Timestamp",
      "Status", "Error", "Final Turn Number", "Speaking Order", "Prompt Tokens", "Completion Tokens",
      "Cost USD", "Flags", "Model");

  /** Separates entity ids (and the speaking order) within one cell, as the original system does. */
  static final String ID_SEPARATOR = ",";
  /** Separates entity names and descriptions within one cell, as the original system does. */
  static final String TEXT_SEPARATOR = "|";

  private SimulationCsv() {}

  static void write(Batch batch, RepositoryPort repository, ExportOptions options, OutputStream out)
      throws IOException {
    EntitySnapshot entities = EntitySnapshot.of(batch);
    List<DeclaredOutcome> outcomes = OutcomeCells.simulationLevel(batch);
    CsvTable table = CsvTable.start(out, options, OutcomeCells.header(HEADER, outcomes));
    SimulationStream.forEach(repository, batch.id(), simulation -> table.row(OutcomeCells.append(outcomes, simulation,
        simulation.id(),
        simulation.sequenceNumber(),
        simulation.interactionType().wireName(),
        String.join(ID_SEPARATOR, simulation.entityIds()),
        names(simulation, entities),
        descriptions(simulation, entities),
        batch.context(),
        simulation.content(),
        JsonText.instant(simulation.timestamp()),
        simulation.status().wireName(),
        simulation.error(),
        simulation.finalTurnNumber(),
        String.join(ID_SEPARATOR, simulation.speakingOrder()),
        simulation.usage().promptTokens(),
        simulation.usage().completionTokens(),
        cost(simulation.costUsd()),
        FlagsText.join(simulation.flags()),
        simulation.modelName())));
    table.finish();
  }

  /** Plain decimal US dollars, never in exponent form; empty when unknown (never 0). */
  private static String cost(@Nullable Double costUsd) {
    return costUsd == null ? "" : BigDecimal.valueOf(costUsd).toPlainString();
  }

  private static String names(Simulation simulation, EntitySnapshot entities) {
    StringJoiner joined = new StringJoiner(TEXT_SEPARATOR);
    for (String id : simulation.entityIds()) {
      String name = entities.name(id);
      joined.add(name == null ? "" : name);
    }
    return joined.toString();
  }

  private static String descriptions(Simulation simulation, EntitySnapshot entities) {
    StringJoiner joined = new StringJoiner(TEXT_SEPARATOR);
    for (String id : simulation.entityIds()) {
      String description = entities.description(id);
      joined.add(description == null ? "" : description);
    }
    return joined.toString();
  }
}
