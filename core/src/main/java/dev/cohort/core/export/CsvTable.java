package dev.cohort.core.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;

/**
 * One CSV table written to a caller's stream: RFC 4180 ({@code \r\n} after every record, fields
 * quoted only when they must be), UTF-8, an optional byte order mark, and formula neutralisation
 * of text cells when the options ask for it. The caller's stream is flushed, never closed.
 */
final class CsvTable {
  private static final int BUFFER_SIZE = 1 << 16;

  // CSVFormat's printing methods synchronise on the format: a copy per table keeps concurrent
  // exports from contending for one lock.
  private final CSVFormat format = CSVFormat.RFC4180.builder().get();
  private final Writer writer;
  private final boolean neutraliseFormulas;

  private CsvTable(Writer writer, boolean neutraliseFormulas) {
    this.writer = writer;
    this.neutraliseFormulas = neutraliseFormulas;
  }

  /** Starts a table on {@code out} and writes its header. */
  static CsvTable start(OutputStream out, ExportOptions options, List<String> header) throws IOException {
    // The writer is deliberately never closed: closing it would close the caller's stream.
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_SIZE);
    if (options.byteOrderMark()) {
      writer.write('\uFEFF');
    }
    CsvTable table = new CsvTable(writer, options.neutraliseFormulas());
    table.format.printRecord(writer, header.toArray());
    return table;
  }

  /**
   * Writes one record. Text cells are neutralised when asked; numbers are written as they are; a
   * null cell is an empty field.
   */
  void row(@Nullable Object... cells) throws IOException {
    if (neutraliseFormulas) {
      for (int i = 0; i < cells.length; i++) {
        if (cells[i] instanceof String text) {
          cells[i] = neutralise(text);
        }
      }
    }
    format.printRecord(writer, cells);
  }

  /** Flushes everything written to the caller's stream. */
  void finish() throws IOException {
    writer.flush();
  }

  /**
   * The cell with a leading {@code '} when it starts with a character that makes a spreadsheet
   * read it as a formula ({@code = + - @}, tab, carriage return), following OWASP's advice on CSV
   * injection; any other cell unchanged.
   */
  static String neutralise(String cell) {
    if (cell.isEmpty()) {
      return cell;
    }
    char first = cell.charAt(0);
    boolean formulaLike = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return formulaLike ? "'" + cell : cell;
  }
}
