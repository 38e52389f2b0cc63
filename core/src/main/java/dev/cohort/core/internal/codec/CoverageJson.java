package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Coverage;
import java.io.IOException;
import java.util.Map;

/**
 * The JSON form of a {@link Coverage}, for the REST route and the command line: {@code
 * {simulations, appearances {min, max, mean, range}, pairs {possible, covered, min, mean, max,
 * range}, entities [{entity_id, appearances, spoke_first}], composition {attribute: {values:
 * simulations}}}}.
 */
public final class CoverageJson {
  private CoverageJson() {}

  /** Writes {@code coverage} as one object. */
  public static void write(JsonGenerator gen, Coverage coverage) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("simulations", coverage.simulations());
    gen.writeObjectFieldStart("appearances");
    gen.writeNumberField("min", coverage.appearances().min());
    gen.writeNumberField("max", coverage.appearances().max());
    gen.writeNumberField("mean", coverage.appearances().mean());
    gen.writeNumberField("range", coverage.appearances().range());
    gen.writeEndObject();
    gen.writeObjectFieldStart("pairs");
    gen.writeNumberField("possible", coverage.pairs().possible());
    gen.writeNumberField("covered", coverage.pairs().covered());
    gen.writeNumberField("min", coverage.pairs().min());
    gen.writeNumberField("mean", coverage.pairs().mean());
    gen.writeNumberField("max", coverage.pairs().max());
    gen.writeNumberField("range", coverage.pairs().range());
    gen.writeEndObject();
    gen.writeArrayFieldStart("entities");
    for (Coverage.EntityCoverage e : coverage.entities()) {
      gen.writeStartObject();
      gen.writeStringField("entity_id", e.entityId());
      gen.writeNumberField("appearances", e.appearances());
      gen.writeNumberField("spoke_first", e.spokeFirst());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeObjectFieldStart("composition");
    for (Map.Entry<String, Map<String, Long>> attribute : coverage.composition().entrySet()) {
      gen.writeObjectFieldStart(attribute.getKey());
      for (Map.Entry<String, Long> c : attribute.getValue().entrySet()) {
        gen.writeNumberField(c.getKey(), c.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }
}
