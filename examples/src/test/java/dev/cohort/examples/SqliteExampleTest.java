package dev.cohort.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite example leaves its export in a temporary folder, not beside the database (the repository root by default). */
class SqliteExampleTest {
  private static final Pattern EXPORTED = Pattern.compile("Exported CSV to (\\S+)");

  @TempDir
  Path dir;

  @Test
  void theCsvExportGoesToATemporaryFolderAndTheDatabaseIsLeftAlone() throws IOException {
    Path db = dir.resolve("cohort.db");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      SqliteExample.main(new String[] {db.toString()});
    } finally {
      System.setOut(stdout);
    }

    Matcher exported = EXPORTED.matcher(printed.toString(StandardCharsets.UTF_8));
    assertThat(exported.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
    Path csv = Path.of(exported.group(1));
    assertThat(csv).isRegularFile().startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    try (Stream<Path> beside = Files.list(dir)) {
      assertThat(beside).noneMatch(p -> p.getFileName().toString().endsWith(".csv"));
    }
    Files.delete(csv);
  }
}
