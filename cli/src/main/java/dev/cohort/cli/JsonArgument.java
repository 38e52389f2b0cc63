package dev.cohort.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A flag whose value is a JSON object, written inline or as {@code @file}. */
final class JsonArgument {
  /** Strict as the entity files are: text after the object, or a key given twice, is a mistake to report. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

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
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UsageException(option, source + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new UsageException(option, source + " must be a JSON object such as '{\"category\": \"climate\"}'");
    }
    return JSON.convertValue(node, new TypeReference<Map<String, @Nullable Object>>() {});
  }
}
