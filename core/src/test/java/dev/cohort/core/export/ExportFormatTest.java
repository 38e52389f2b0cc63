package dev.cohort.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExportFormatTest {

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void wireNameReadsBackAsTheSameFormat(ExportFormat format) {
    assertThat(ExportFormat.fromWireName(format.wireName())).isEqualTo(format);
    assertThat(ExportFormat.fromWireName(" " + format.wireName().toUpperCase().replace('_', '-') + " "))
        .isEqualTo(format);
  }

  @Test
  void unknownFormatNameIsRejectedNamingTheFieldAndTheChoices() {
    assertThatThrownBy(() -> ExportFormat.fromWireName("xml"))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("format");
            assertThat(error.message()).contains("json, csv, jsonl, utterances_csv, utterances_jsonl").contains("\"xml\"");
          });
        });
  }

  @Test
  void eachFormatHasItsExtensionMediaTypeAndFileName() {
    assertThat(ExportFormat.JSON.fileExtension()).isEqualTo("json");
    assertThat(ExportFormat.JSON.mediaType()).isEqualTo("application/json");
    assertThat(ExportFormat.CSV.mediaType()).isEqualTo("text/csv; charset=utf-8");
    assertThat(ExportFormat.JSONL.mediaType()).isEqualTo("application/x-ndjson");
    assertThat(ExportFormat.JSONL.fileName("b1")).isEqualTo("batch-b1.jsonl");
    assertThat(ExportFormat.UTTERANCES_CSV.fileName("b1")).isEqualTo("batch-b1-utterances.csv");
    assertThat(ExportFormat.UTTERANCES_JSONL.fileName("b1")).isEqualTo("batch-b1-utterances.jsonl");
    assertThat(ExportFormat.UTTERANCES_CSV.isCsv()).isTrue();
    assertThat(ExportFormat.UTTERANCES_JSONL.isCsv()).isFalse();
  }
}
