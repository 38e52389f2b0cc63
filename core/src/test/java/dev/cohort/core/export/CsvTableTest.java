package dev.cohort.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CsvTableTest {

  @ParameterizedTest
  @ValueSource(strings = {"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"})
  void cellsStartingWithAFormulaCharacterGetALeadingQuote(String cell) {
    assertThat(CsvTable.neutralise(cell)).isEqualTo("'" + cell);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", " =not first", "a=b", "'quoted", "\nnewline", "١٢٣"})
  void otherCellsAreLeftAlone(String cell) {
    assertThat(CsvTable.neutralise(cell)).isEqualTo(cell);
  }

  @Test
  void writesRfc4180RecordsWithCrLfAndNeutralisesOnlyTextCells() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CsvTable table = CsvTable.start(out, ExportOptions.defaults(), List.of("A", "B", "C"));
    table.row("=x", -1L, null);
    table.row("a,\"b\"\nc", 2, "");
    table.finish();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("A,B,C\r\n'=x,-1,\r\n\"a,\"\"b\"\"\nc\",2,\r\n");
  }

  @Test
  void byteOrderMarkComesFirstOnlyWhenAsked() throws IOException {
    ByteArrayOutputStream with = new ByteArrayOutputStream();
    CsvTable.start(with, ExportOptions.builder().byteOrderMark(true).build(), List.of("A")).finish();
    ByteArrayOutputStream without = new ByteArrayOutputStream();
    CsvTable.start(without, ExportOptions.defaults(), List.of("A")).finish();

    assertThat(with.toByteArray()).startsWith(0xEF, 0xBB, 0xBF).hasSize(6);
    assertThat(without.toString(StandardCharsets.UTF_8)).isEqualTo("A\r\n");
  }

  @Test
  void finishFlushesButDoesNotCloseTheCallersStream() throws IOException {
    boolean[] closed = {false};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = new FilterOutputStream(bytes) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    CsvTable table = CsvTable.start(out, ExportOptions.defaults(), List.of("A"));
    table.row("x");
    table.finish();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("A\r\nx\r\n");
    assertThat(closed[0]).isFalse();
  }
}
