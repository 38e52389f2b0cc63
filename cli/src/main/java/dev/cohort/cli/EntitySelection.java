package dev.cohort.cli;

import dev.cohort.core.batch.Entity;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --entities} names: the pool of entity ids for a batch, and the entity objects to
 * store before the batch is created (when the file holds objects rather than ids).
 *
 * <p>The value is either a JSON file (an existing path, or {@code @path}) or a comma-separated list
 * of ids. A file may hold an array of ids, {@code {"entity_ids": [...]}}, an array of entity objects
 * or {@code {"entities": [...]}} (see {@link EntityFile}). A value that looks like a file name
 * ({@code .json} at the end, or a path separator) but names no file is an error, never a list of one
 * odd id.
 *
 * @param ids the pool, in the order given, without duplicates
 * @param toImport entity objects the file defines, stored (replacing same ids) before the batch
 */
record EntitySelection(List<String> ids, List<Entity> toImport) {
  private static final String OPTION = "--entities";

  EntitySelection {
    ids = List.copyOf(ids);
    toImport = List.copyOf(toImport);
  }

  /**
   * Reads the value of {@code --entities}, resolving relative paths against {@code workingDir}.
   *
   * @throws UsageException when the file is missing or unreadable, its JSON has another shape, or
   *     the list holds a blank or repeated id
   */
  static EntitySelection parse(String value, Path workingDir) {
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new UsageException(OPTION, "is empty; give entity ids separated by commas, or a JSON file");
    }
    Path file = fileNamedBy(trimmed, workingDir);
    if (file != null) {
      return EntityFile.read(file, trimmed.startsWith("@") ? trimmed.substring(1) : trimmed, OPTION).selection();
    }
    return new EntitySelection(commaSeparated(trimmed), List.of());
  }

  private static @Nullable Path fileNamedBy(String value, Path workingDir) {
    boolean explicit = value.startsWith("@");
    String name = explicit ? value.substring(1) : value;
    Path path;
    try {
      path = workingDir.resolve(name);
    } catch (InvalidPathException e) {
      if (explicit) {
        throw new UsageException(OPTION, "'" + name + "' is not a valid file name");
      }
      return null;
    }
    if (Files.isRegularFile(path)) {
      return path;
    }
    boolean looksLikeFile = explicit || name.toLowerCase(Locale.ROOT).endsWith(".json")
        || name.contains("/") || name.contains("\\");
    if (looksLikeFile && !name.contains(",")) {
      throw new UsageException(OPTION, Files.isDirectory(path) ? "'" + name + "' is a directory, not a JSON file"
          : "file '" + name + "' does not exist");
    }
    return null;
  }

  private static List<String> commaSeparated(String value) {
    Set<String> ids = new LinkedHashSet<>();
    String[] parts = value.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String id = parts[i].strip();
      if (id.isEmpty()) {
        throw new UsageException(OPTION, "element " + (i + 1) + " of the comma-separated list is empty");
      }
      if (!ids.add(id)) {
        throw new UsageException(OPTION, "entity id '" + id + "' is given twice");
      }
    }
    return new ArrayList<>(ids);
  }
}
