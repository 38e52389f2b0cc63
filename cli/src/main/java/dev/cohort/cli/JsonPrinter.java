package dev.cohort.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.internal.codec.BatchJson;
import dev.cohort.core.internal.codec.JsonText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Prints indented JSON in Cohort's canonical shapes ({@link BatchJson}) for {@code --json} flags. */
final class JsonPrinter {
  /** Writes one JSON value with a generator. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  // Writes free-form values (attributes, metadata) that the generator cannot write on its own.
  private static final ObjectMapper CODEC = new ObjectMapper();

  private JsonPrinter() {}

  /** Prints what {@code body} writes, indented, and a line break. */
  static void print(PrintWriter out, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator gen = JsonText.createGenerator(bytes)) {
      gen.setCodec(CODEC);
      gen.useDefaultPrettyPrinter();
      body.write(gen);
    } catch (IOException e) {
      throw new CohortException("cannot write JSON: " + e.getMessage(), e);
    }
    out.println(bytes.toString(StandardCharsets.UTF_8));
    out.flush();
  }
}
