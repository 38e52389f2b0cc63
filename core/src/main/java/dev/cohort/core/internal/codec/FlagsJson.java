package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.QualityFlag;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of quality flags: a simulation's {@code flags} as an array of wire names in flag
 * order, a batch's {@code flag_counts} as an object from wire name to count (flags that occur only,
 * in flag order).
 */
final class FlagsJson {
  private FlagsJson() {}

  /** Writes the field {@code flags}. */
  static void writeFlags(JsonGenerator gen, List<QualityFlag> flags) throws IOException {
    gen.writeArrayFieldStart("flags");
    for (QualityFlag flag : flags) {
      gen.writeString(flag.wireName());
    }
    gen.writeEndArray();
  }

  /** Writes the field {@code flag_counts}. */
  static void writeFlagCounts(JsonGenerator gen, Map<QualityFlag, Long> counts) throws IOException {
    gen.writeObjectFieldStart("flag_counts");
    for (Map.Entry<QualityFlag, Long> e : counts.entrySet()) {
      gen.writeNumberField(e.getKey().wireName(), e.getValue());
    }
    gen.writeEndObject();
  }
}
