package dev.cohort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A flag whose value is a JSON object, written inline or as {@code @file}, read by the codec the
 * REST API uses: text after the object, or a key given twice, is a mistake to report.
 */
final class JsonArgument {
  private JsonArgument() {}

  /**
   * The JSON object {@code value} holds (or the file {@code @path} holds).
   *
   * @throws UsageException naming {@code option} when it is not a JSON object or the file is missing
   */
  static Map<String, @Nullable Object> object(String option, String value, Path workingDir) {
    String text = value;
    String source = "the value";
    if (value.startsWith("@")) {
      String name = value.substring(1);
      source = "file '" + name + "'";
      try {
        text = Files.readString(workingDir.resolve(name));
      } catch (NoSuchFileException | InvalidPathException e) {
        throw new UsageException(option, "file '" + name + "' does not exist");
      } catch (IOException e) {
        throw new UsageException(option, "file '" + name + "' cannot be read: " + e.getMessage());
      }
    }
    JsonNode node;
    try {
      node = JsonText.parse(text.getBytes(StandardCharsets.UTF_8), "value");
    } catch (ValidationException e) {
      throw new UsageException(option, source + " " + e.errors().get(0).message());
    }
    if (!node.isObject()) {
      throw new UsageException(option, source + " must be a JSON object such as '{\"category\": \"climate\"}'");
    }
    try {
      // Errors name the place inside the object, such as metadata.wave.
      return JsonText.object(node, option.replaceFirst("^--", ""));
    } catch (ValidationException e) {
      throw new UsageException(option, e.getMessage());
    }
  }
}
