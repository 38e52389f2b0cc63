package dev.cohort.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Input files for the command-line tests. */
final class Samples {
  /** Four entity objects in the {@code {"entities": [...]}} shape, as the original documentation's example uses. */
  static final String FOUR_ENTITIES = """
      {"entities": [
        {"id": "entity-id-1", "name": "Maya Chen", "description": "Climate scientist", "attributes": {"age": 41}},
        {"id": "entity-id-2", "name": "Tom Becker", "description": "Coal-plant engineer", "attributes": {"age": 55}},
        {"id": "entity-id-3", "name": "Amara Okafor", "description": "Policy adviser"},
        {"id": "entity-id-4", "name": "Luis Ortega", "attributes": {"occupation": "farmer", "tags": ["drought"]}}
      ]}
      """;

  private Samples() {}

  /** Writes {@code text} to {@code dir/name} and returns the file. */
  static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
