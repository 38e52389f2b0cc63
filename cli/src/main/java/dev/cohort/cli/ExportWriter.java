package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.export.ExportOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes a batch's export to a file or standard output. A file is written beside its final name
 * and moved into place at the end, so a failed export never leaves half a file behind.
 */
final class ExportWriter {
  private ExportWriter() {}

  /**
   * Streams the export of {@code batchId} to {@code target}; {@code out} is flushed first when the
   * target is standard output, so the two never interleave.
   */
  static void write(Cohort cohort, String batchId, ExportTarget target, ExportOptions options, PrintWriter out) {
    write(target, stream -> cohort.export(batchId, target.format(), options, stream), out);
  }

  /** Streams what {@code body} writes to {@code target}: standard output, or a file moved into place when complete. */
  static void write(ExportTarget target, Consumer<OutputStream> body, PrintWriter out) {
    write(target.file(), body, out);
  }

  /** Streams what {@code body} writes to {@code file}, moved into place when complete, or to standard output when null. */
  static void write(@Nullable Path file, Consumer<OutputStream> body, PrintWriter out) {
    if (file == null) {
      out.flush();
      OutputStream stdout = new BufferedOutputStream(new KeepOpen(System.out));
      body.accept(stdout);
      try {
        stdout.flush();
      } catch (IOException e) {
        throw new CohortException("cannot write to standard output: " + e.getMessage(), e);
      }
      return;
    }
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try {
      try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(partial))) {
        body.accept(stream);
      }
      try {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CohortException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // Nothing more can be done about a leftover partial file; the export error says enough.
      }
    }
  }

  /** Standard output, which an exporter may close without closing the process's stream. */
  private static final class KeepOpen extends OutputStream {
    private final OutputStream target;

    KeepOpen(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() throws IOException {
      target.flush();
    }
  }
}
