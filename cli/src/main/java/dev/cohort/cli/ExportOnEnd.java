package dev.cohort.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --export FILE}: the file a command that runs a batch writes the batch to once it ends. */
final class ExportOnEnd {
  @Option(names = "--export", paramLabel = "FILE",
      description = "When the batch ends, export it to FILE; the format follows the extension: .json, .csv, "
          + ".jsonl, or *utterances.csv / *utterances.jsonl for one row per turn, *participants.csv / "
          + "*participants.jsonl for one row per participant.")
  @Nullable String export;

  /**
   * Where the export goes, resolved against {@code workingDir}, or null when none was asked for.
   *
   * @throws UsageException when the value is standard output, names no known format or an absent folder
   */
  @Nullable ExportTarget target(Path workingDir) {
    if (export == null) {
      return null;
    }
    if (export.strip().equals(ExportTarget.STDOUT)) {
      // The summary goes to standard output already; an export there would be mixed into it.
      throw new UsageException("--export", "needs a file name; to print an export use 'cohort export ID --output -'");
    }
    return ExportTarget.of("--export", export.strip(), null, workingDir);
  }
}
