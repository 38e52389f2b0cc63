package dev.cohort.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.SimulationStream;
import dev.cohort.core.port.RepositoryPort;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The long "utterance" table: one row per turn, as CSV or as JSON Lines. */
final class UtteranceTable {
  /** The CSV header. */
  static final List<String> HEADER = List.of(
      "Batch ID", "Simulation ID", "Sequence Number", "Round", "Turn", "Speaker ID", "Speaker Name",
      "Thought", "Text");

  private UtteranceTable() {}

  static void writeCsv(Batch batch, RepositoryPort repository, ExportOptions options, OutputStream out)
      throws IOException {
    CsvTable table = CsvTable.start(out, options, HEADER);
    SimulationStream.forEach(repository, batch.id(), simulation -> {
      for (Turn turn : simulation.turns()) {
        table.row(batch.id(), simulation.id(), simulation.sequenceNumber(), turn.round(), turn.turnNumber(),
            turn.speakerId(), turn.speakerName(), turn.thought(), turn.text());
      }
    });
    table.finish();
  }

  static void writeJsonLines(Batch batch, RepositoryPort repository, OutputStream out) throws IOException {
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      SimulationStream.forEach(repository, batch.id(), simulation -> {
        for (Turn turn : simulation.turns()) {
          gen.writeStartObject();
          gen.writeStringField("batch_id", batch.id());
          gen.writeStringField("simulation_id", simulation.id());
          gen.writeNumberField("sequence_number", simulation.sequenceNumber());
          gen.writeNumberField("round", turn.round());
          gen.writeNumberField("turn", turn.turnNumber());
          gen.writeStringField("speaker_id", turn.speakerId());
          gen.writeStringField("speaker_name", turn.speakerName());
          gen.writeStringField("thought", turn.thought());
          gen.writeStringField("text", turn.text());
          gen.writeEndObject();
          gen.writeRaw('\n');
        }
      });
    }
  }
}
