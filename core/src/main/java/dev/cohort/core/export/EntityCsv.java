package dev.cohort.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.internal.codec.JsonText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.List;

/** The entity CSV: one row per entity of a batch's snapshot, attributes as a JSON object. */
final class EntityCsv {
  /** The header. */
  static final List<String> HEADER = List.of("Entity ID", "Name", "Description", "Attributes");

  private EntityCsv() {}

  static void write(Batch batch, ExportOptions options, OutputStream out) throws IOException {
    CsvTable table = CsvTable.start(out, options, HEADER);
    for (Entity entity : batch.entities()) {
      table.row(entity.id(), entity.name(), entity.description(), attributesJson(entity));
    }
    table.finish();
  }

  private static String attributesJson(Entity entity) throws IOException {
    StringWriter json = new StringWriter();
    try (JsonGenerator gen = JsonText.createGenerator(json)) {
      JsonText.writeValue(gen, entity.attributes());
    }
    return json.toString();
  }
}
