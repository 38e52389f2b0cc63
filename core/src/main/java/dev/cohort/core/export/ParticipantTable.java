package dev.cohort.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.SimulationStream;
import dev.cohort.core.port.RepositoryPort;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The long participant table: one row per (simulation, participant), as CSV or as JSON Lines. It
 * is rectangular: every row has every column, the attribute columns being the union of the
 * attributes of the batch's entity snapshot (in the order they first appear), so an entity without
 * one has an empty cell. Simulations stream one at a time; only the snapshot is held.
 */
final class ParticipantTable {
  /** The columns before the attribute columns. */
  static final List<String> LEADING = List.of("simulation_id", "sequence_number", "status", "entity_id",
      "entity_name");
  /** The columns after the outcome columns. */
  static final List<String> TRAILING = List.of("turns", "words", "spoke_first", "model");
  /** Prefix of an attribute column's name. */
  static final String ATTRIBUTE_PREFIX = "attr.";

  private final Map<String, Entity> entities = new HashMap<>();
  private final List<String> attributes;
  private final List<DeclaredOutcome> outcomes;
  /** The participants with a model of their own (role-play's participant_models). */
  private final Map<String, String> participantModels;

  private ParticipantTable(Batch batch) {
    this.participantModels = batch.request().participantModels();
    Set<String> names = new LinkedHashSet<>();
    for (Entity e : batch.entities()) {
      entities.put(e.id(), e);
      names.addAll(e.attributes().keySet());
    }
    this.attributes = List.copyOf(names);
    this.outcomes = OutcomeCells.perParticipant(batch);
  }

  static void writeCsv(Batch batch, RepositoryPort repository, ExportOptions options, OutputStream out)
      throws IOException {
    ParticipantTable table = new ParticipantTable(batch);
    CsvTable csv = CsvTable.start(out, options, table.header());
    SimulationStream.forEach(repository, batch.id(), simulation -> {
      for (Row row : table.rows(simulation)) {
        List<@Nullable Object> cells = new ArrayList<>();
        cells.add(simulation.id());
        cells.add(simulation.sequenceNumber());
        cells.add(simulation.status().wireName());
        cells.add(row.entityId);
        cells.add(row.entityName);
        for (@Nullable Object value : row.attributes) {
          cells.add(OutcomeCells.cell(value));
        }
        for (@Nullable Object value : row.outcomes) {
          cells.add(OutcomeCells.cell(value));
        }
        cells.add(row.turns);
        cells.add(row.words);
        cells.add(row.spokeFirst ? "yes" : "no");
        cells.add(row.model);
        csv.row(cells.toArray());
      }
    });
    csv.finish();
  }

  static void writeJsonLines(Batch batch, RepositoryPort repository, OutputStream out) throws IOException {
    ParticipantTable table = new ParticipantTable(batch);
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      SimulationStream.forEach(repository, batch.id(), simulation -> {
        for (Row row : table.rows(simulation)) {
          gen.writeStartObject();
          gen.writeStringField("simulation_id", simulation.id());
          gen.writeNumberField("sequence_number", simulation.sequenceNumber());
          gen.writeStringField("status", simulation.status().wireName());
          gen.writeStringField("entity_id", row.entityId);
          gen.writeStringField("entity_name", row.entityName);
          for (int i = 0; i < table.attributes.size(); i++) {
            gen.writeFieldName(ATTRIBUTE_PREFIX + table.attributes.get(i));
            JsonText.writeValue(gen, row.attributes.get(i));
          }
          for (int i = 0; i < table.outcomes.size(); i++) {
            gen.writeFieldName(OutcomeCells.PREFIX + table.outcomes.get(i).name());
            JsonText.writeValue(gen, row.outcomes.get(i));
          }
          gen.writeNumberField("turns", row.turns);
          gen.writeNumberField("words", row.words);
          gen.writeBooleanField("spoke_first", row.spokeFirst);
          gen.writeStringField("model", row.model);
          gen.writeEndObject();
          gen.writeRaw('\n');
        }
      });
    }
  }

  private List<String> header() {
    List<String> header = new ArrayList<>(LEADING);
    for (String name : attributes) {
      header.add(ATTRIBUTE_PREFIX + name);
    }
    for (DeclaredOutcome o : outcomes) {
      header.add(OutcomeCells.PREFIX + o.name());
    }
    header.addAll(TRAILING);
    return header;
  }

  /** One participant's row before it is written. */
  private record Row(String entityId, @Nullable String entityName, List<@Nullable Object> attributes,
      List<@Nullable Object> outcomes, int turns, long words, boolean spokeFirst, @Nullable String model) {}

  private List<Row> rows(Simulation simulation) {
    Map<String, int[]> turns = new HashMap<>();
    Map<String, long[]> words = new HashMap<>();
    for (Turn t : simulation.turns()) {
      turns.computeIfAbsent(t.speakerId(), id -> new int[1])[0]++;
      words.computeIfAbsent(t.speakerId(), id -> new long[1])[0] += wordCount(t.text());
    }
    String first = simulation.turns().isEmpty() ? null : simulation.turns().get(0).speakerId();
    List<Row> rows = new ArrayList<>(simulation.entityIds().size());
    for (String id : simulation.entityIds()) {
      Entity entity = entities.get(id);
      List<@Nullable Object> attributeValues = new ArrayList<>(attributes.size());
      for (String name : attributes) {
        attributeValues.add(entity == null ? null : entity.attributes().get(name));
      }
      List<@Nullable Object> outcomeValues = new ArrayList<>(outcomes.size());
      for (DeclaredOutcome o : outcomes) {
        outcomeValues.add(OutcomeCells.participantValue(simulation, o, id));
      }
      int[] spoken = turns.get(id);
      long[] said = words.get(id);
      rows.add(new Row(id, entity == null ? null : entity.name(), attributeValues, outcomeValues,
          spoken == null ? 0 : spoken[0], said == null ? 0 : said[0], id.equals(first),
          participantModels.getOrDefault(id, simulation.modelName())));
    }
    return rows;
  }

  /** Words as whitespace-separated runs of characters: what "words spoken" counts. */
  static long wordCount(String text) {
    long count = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }
}
