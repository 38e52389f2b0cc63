package dev.cohort.core.export;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.DeclaredOutcome.Per;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.internal.codec.JsonText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Outcome columns of the CSV tables: {@code outcome.NAME} per declared outcome of one scope, each
 * cell the extracted value as text ({@code true}/{@code false}, the number, the enum value, the
 * entity id), empty when the simulation has none.
 */
final class OutcomeCells {
  /** Prefix of an outcome column's name. */
  static final String PREFIX = "outcome.";

  private OutcomeCells() {}

  static List<DeclaredOutcome> simulationLevel(Batch batch) {
    return batch.request().outcomes().stream().filter(o -> o.per() == Per.SIMULATION).toList();
  }

  static List<DeclaredOutcome> perParticipant(Batch batch) {
    return batch.request().outcomes().stream().filter(o -> o.per() == Per.PARTICIPANT).toList();
  }

  static List<String> header(List<String> first, List<DeclaredOutcome> outcomes) {
    List<String> header = new ArrayList<>(first);
    for (DeclaredOutcome o : outcomes) {
      header.add(PREFIX + o.name());
    }
    return header;
  }

  /** {@code cells} followed by the simulation's value of each simulation-level outcome. */
  static @Nullable Object[] append(List<DeclaredOutcome> outcomes, Simulation simulation, @Nullable Object... cells) {
    Object[] row = Arrays.copyOf(cells, cells.length + outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      row[cells.length + i] = cell(simulation.outcomes().get(outcomes.get(i).name()));
    }
    return row;
  }

  /** The participant's value of a per-participant outcome, or null. */
  static @Nullable Object participantValue(Simulation simulation, DeclaredOutcome outcome, String entityId) {
    return simulation.outcomes().get(outcome.name()) instanceof Map<?, ?> each ? each.get(entityId) : null;
  }

  /** A value as one CSV cell: text, numbers and booleans as they are, anything nested as JSON. */
  static @Nullable Object cell(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Number) {
      return value;
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    return JsonText.write(gen -> JsonText.writeValue(gen, value));
  }
}
