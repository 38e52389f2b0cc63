package dev.cohort.cli;

import dev.cohort.core.export.ExportFormat;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where an export goes and in which format: a file (format from its extension unless given) or
 * standard output ({@code -}).
 *
 * @param file the file to write, or null for standard output
 * @param format the export format
 */
record ExportTarget(@Nullable Path file, ExportFormat format) {
  static final String STDOUT = "-";

  /**
   * The format a file name implies: {@code .json}, {@code .csv}, {@code .jsonl} (or {@code
   * .ndjson}); a name ending in {@code utterances.csv} or {@code utterances.jsonl} gets one row per
   * turn instead of one per simulation, and one in {@code participants.csv} or {@code
   * participants.jsonl} one row per (simulation, participant).
   */
  static Optional<ExportFormat> formatOf(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    boolean utterances = name.endsWith("utterances.csv") || name.endsWith("utterances.jsonl");
    boolean participants = name.endsWith("participants.csv") || name.endsWith("participants.jsonl");
    if (name.endsWith(".json")) {
      return Optional.of(ExportFormat.JSON);
    }
    if (name.endsWith(".csv")) {
      return Optional.of(utterances ? ExportFormat.UTTERANCES_CSV
          : participants ? ExportFormat.PARTICIPANTS_CSV : ExportFormat.CSV);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return Optional.of(utterances ? ExportFormat.UTTERANCES_JSONL
          : participants ? ExportFormat.PARTICIPANTS_JSONL : ExportFormat.JSONL);
    }
    return Optional.empty();
  }

  /**
   * The target of {@code option}'s value {@code output}, with {@code format} if given, else the one
   * the file name implies (JSON for standard output).
   *
   * @throws UsageException when the format cannot be told or the file's folder does not exist
   */
  static ExportTarget of(String option, String output, @Nullable ExportFormat format, Path workingDir) {
    Optional<ExportFormat> given = Optional.ofNullable(format);
    if (output.equals(STDOUT)) {
      return new ExportTarget(null, given.orElse(ExportFormat.JSON));
    }
    Path file;
    try {
      file = workingDir.resolve(output);
    } catch (InvalidPathException e) {
      throw new UsageException(option, "'" + output + "' is not a valid file name");
    }
    ExportFormat chosen = given.or(() -> formatOf(output)).orElseThrow(() -> new UsageException(option,
        "cannot tell the format of '" + output + "' from its extension; name it .json, .csv or .jsonl "
            + "(or *utterances.csv / *utterances.jsonl for one row per turn)"));
    if (Files.isDirectory(file)) {
      throw new UsageException(option, "'" + output + "' is a directory; give a file name");
    }
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      throw new UsageException(option, "folder '" + folder + "' does not exist");
    }
    return new ExportTarget(file, chosen);
  }
}
