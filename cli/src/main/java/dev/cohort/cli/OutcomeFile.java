package dev.cohort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.internal.codec.OutcomeJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --outcomes FILE}: a JSON file (path or {@code @path}) holding the outcome declarations,
 * as an array {@code [{"name", "type", "question", …}]} or as {@code {"outcomes": [...]}}, read by
 * the codec the REST API uses, so every problem is named by its place ({@code outcomes[1].values}).
 */
final class OutcomeFile {
  /** The flag this file is given with. */
  static final String FLAG = "--outcomes";

  private OutcomeFile() {}

  /**
   * The declarations in the file.
   *
   * @throws UsageException naming {@value #FLAG} and the file when it is missing, not JSON or not a
   *     valid declaration list
   */
  static List<DeclaredOutcome> read(String value, Path workingDir) {
    String name = value.startsWith("@") ? value.substring(1) : value;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(workingDir.resolve(name));
    } catch (NoSuchFileException | InvalidPathException e) {
      throw new UsageException(FLAG, "file '" + name + "' does not exist");
    } catch (IOException e) {
      throw new UsageException(FLAG, "file '" + name + "' cannot be read: " + e.getMessage());
    }
    try {
      JsonNode node = JsonText.parse(bytes, "file '" + name + "'");
      if (node.isObject() && node.has("outcomes") && node.size() == 1) {
        node = node.get("outcomes");
      }
      return OutcomeJson.read(node, "outcomes");
    } catch (ValidationException e) {
      throw new UsageException(FLAG, "file '" + name + "': " + e.errors().stream()
          .map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; ")));
    }
  }
}
