package dev.cohort.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.DesignType;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The study-design flags of {@code cohort run}: {@code --design}, {@code --groups FILE}, {@code
 * --distinct-by}, {@code --require ATTR=VALUE[:MIN[:MAX]]} and {@code --speaking-order}.
 */
final class DesignOptions {
  /** Design fields as these flags spell them, for validation messages. */
  static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("design", "--design"), Map.entry("design.groups", "--groups"),
      Map.entry("constraints", "--distinct-by/--require"), Map.entry("constraints.distinct_by", "--distinct-by"),
      Map.entry("constraints.require", "--require"), Map.entry("speaking_order", "--speaking-order"));

  @Option(names = "--design", paramLabel = "TYPE",
      description = "How groups are chosen: random (uniform, the default), balanced (every entity equally often, "
          + "pairs as even as possible) or explicit (the groups of --groups).")
  @Nullable String design;

  @Option(names = "--groups", paramLabel = "FILE",
      description = "Your own groups: a JSON array of arrays of entity ids, or a CSV file with one group per line. "
          + "Implies --design explicit; --num-simulations may then be left out.")
  @Nullable String groups;

  @Option(names = "--allow-duplicate-groups",
      description = "Let --groups list the same group more than once (--replicates is usually the better way).")
  boolean allowDuplicateGroups;

  @Option(names = "--distinct-by", paramLabel = "ATTR",
      description = "No two members of a group share this attribute's value, such as --distinct-by party.")
  List<String> distinctBy = new ArrayList<>();

  @Option(names = "--require", paramLabel = "ATTR=VALUE[:MIN[:MAX]]",
      description = "Bound how many members of every group have ATTR=VALUE (default at least 1), such as "
          + "--require role=moderator:1:1 for exactly one moderator. Repeatable.")
  List<String> require = new ArrayList<>();

  @Option(names = "--speaking-order", paramLabel = "ORDER",
      description = "random (a seeded permutation per simulation, the default), rotate (each member opens in turn "
          + "across replicates and appearances) or fixed (the group's order).")
  @Nullable String speakingOrder;

  /** Whether the groups come from --groups, so the number of simulations is theirs. */
  boolean givesGroups() {
    return groups != null;
  }

  /** Sets the design fields on {@code builder}. */
  void apply(BatchRequest.Builder builder, Path workingDir) {
    DesignType type = DesignType.RANDOM;
    if (design != null) {
      try {
        type = DesignType.fromWireName(design.strip());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--design", e.getMessage());
      }
    }
    if (groups != null) {
      if (design != null && type != DesignType.EXPLICIT) {
        throw new UsageException("--groups", "gives an explicit design; it cannot be combined with --design " + design);
      }
      builder.design(Design.explicit(readGroups(groups, workingDir), allowDuplicateGroups));
    } else if (type == DesignType.EXPLICIT) {
      throw new UsageException("--design", "explicit needs --groups FILE with the groups");
    } else {
      builder.design(type == DesignType.BALANCED ? Design.balanced() : Design.random());
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String r : require) {
      requirements.add(requirement(r));
    }
    if (!distinctBy.isEmpty() || !requirements.isEmpty()) {
      builder.constraints(Constraints.of(distinctBy, requirements));
    }
    if (speakingOrder != null) {
      try {
        builder.speakingOrder(SpeakingOrder.fromWireName(speakingOrder.strip()));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--speaking-order", e.getMessage());
      }
    }
  }

  /**
   * {@code e} with each error about one of the explicit groups ({@code design.groups[i]}) named
   * {@code design.groups} and its message saying which line of the file it is about.
   */
  static ValidationException groupsNamed(ValidationException e) {
    List<ValidationException.FieldError> errors = new ArrayList<>();
    for (ValidationException.FieldError error : e.errors()) {
      String field = error.field();
      if (field.startsWith("design.groups[")) {
        int end = field.indexOf(']');
        int index = Integer.parseInt(field.substring("design.groups[".length(), end));
        errors.add(new ValidationException.FieldError("design.groups", "group " + (index + 1) + ": " + error.message()));
      } else {
        errors.add(error);
      }
    }
    return new ValidationException(errors);
  }

  /** {@code ATTR=VALUE[:MIN[:MAX]]}. */
  static Requirement requirement(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new UsageException("--require", "'" + text + "' is not ATTR=VALUE[:MIN[:MAX]], such as role=moderator:1:1");
    }
    String attribute = text.substring(0, eq).strip();
    String[] parts = text.substring(eq + 1).split(":", -1);
    if (parts.length > 3 || parts[0].isBlank()) {
      throw new UsageException("--require", "'" + text + "' is not ATTR=VALUE[:MIN[:MAX]], such as role=moderator:1:1");
    }
    int min = parts.length > 1 ? count(parts[1], text) : 1;
    Integer max = parts.length > 2 ? count(parts[2], text) : null;
    return new Requirement(attribute, parts[0].strip(), min, max);
  }

  private static int count(String part, String text) {
    try {
      int value = Integer.parseInt(part.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new UsageException("--require", "'" + part + "' in '" + text + "' is not a whole number, 0 or more");
    }
  }

  /** A JSON array of arrays of ids, or CSV lines of ids. */
  static List<List<String>> readGroups(String file, Path workingDir) {
    String name = file.startsWith("@") ? file.substring(1) : file;
    String text;
    try {
      text = Files.readString(workingDir.resolve(name), StandardCharsets.UTF_8);
    } catch (NoSuchFileException | InvalidPathException e) {
      throw new UsageException("--groups", "file '" + name + "' does not exist");
    } catch (IOException e) {
      throw new UsageException("--groups", "file '" + name + "' cannot be read: " + e.getMessage());
    }
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      return jsonGroups(trimmed, name);
    }
    List<List<String>> out = new ArrayList<>();
    for (String line : trimmed.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> group = new ArrayList<>();
      for (String id : line.split(",", -1)) {
        String cell = id.strip();
        if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
          cell = cell.substring(1, cell.length() - 1).replace("\"\"", "\"");
        }
        group.add(cell);
      }
      out.add(group);
    }
    if (out.isEmpty()) {
      throw new UsageException("--groups", "file '" + name + "' holds no group");
    }
    return out;
  }

  private static List<List<String>> jsonGroups(String text, String name) {
    JsonNode node;
    try {
      node = JsonText.parse(text.getBytes(StandardCharsets.UTF_8), "groups");
    } catch (ValidationException e) {
      throw new UsageException("--groups", "file '" + name + "' " + e.errors().get(0).message());
    }
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode group = node.get(i);
      if (!group.isArray()) {
        throw new UsageException("--groups", "file '" + name + "': group " + i + " must be an array of entity ids");
      }
      List<String> ids = new ArrayList<>();
      for (JsonNode id : group) {
        if (!id.isTextual()) {
          throw new UsageException("--groups", "file '" + name + "': group " + i + " holds " + id + ", not an id");
        }
        ids.add(id.textValue());
      }
      out.add(ids);
    }
    return out;
  }
}
