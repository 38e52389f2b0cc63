package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.export.ExportFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportTargetTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({
      "batch.json, JSON", "BATCH.JSON, JSON", "batch.csv, CSV", "batch.jsonl, JSONL", "batch.ndjson, JSONL",
      "batch-utterances.csv, UTTERANCES_CSV", "utterances.jsonl, UTTERANCES_JSONL"})
  void theFormatFollowsTheExtension(String file, ExportFormat format) {
    ExportTarget target = ExportTarget.of("--export", file, null, dir);

    assertThat(target.format()).isEqualTo(format);
    assertThat(target.file()).isEqualTo(dir.resolve(file));
  }

  @Test
  void aGivenFormatWinsOverTheExtension() {
    assertThat(ExportTarget.of("--output", "data.txt", ExportFormat.CSV, dir).format()).isEqualTo(ExportFormat.CSV);
  }

  @Test
  void standardOutputDefaultsToJson() {
    ExportTarget target = ExportTarget.of("--output", "-", null, dir);

    assertThat(target.file()).isNull();
    assertThat(target.format()).isEqualTo(ExportFormat.JSON);
  }

  @Test
  void unknownExtensionsAndMissingFoldersAreRejected() {
    assertThatThrownBy(() -> ExportTarget.of("--export", "batch.xlsx", null, dir))
        .isInstanceOf(UsageException.class).hasMessageStartingWith("--export: cannot tell the format of 'batch.xlsx'");
    assertThatThrownBy(() -> ExportTarget.of("--export", "no/such/folder/batch.csv", null, dir))
        .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ExportTarget.of("--export", ".", ExportFormat.CSV, dir))
        .isInstanceOf(UsageException.class).hasMessageContaining("is a directory");
  }
}
