package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC drivers are optional dependencies of cohort-jdbc: an application that leaves out its
 * database's driver is told which dependency to add. Proved in a child JVM whose class path is this
 * module's test class path without the SQLite driver, as an application that depends on cohort-jdbc
 * alone would have it.
 */
class MissingDriverTest {
  @TempDir Path dir;

  @Test
  void openingSqliteWithoutItsDriverNamesTheDependencyToAdd() throws Exception {
    // Surefire may start tests from a manifest-only jar; it names the real class path separately.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = Arrays.asList(classPath.split(File.pathSeparator));
    String withoutSqlite = entries.stream().filter(e -> !Path.of(e).getFileName().toString().startsWith("sqlite-jdbc"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(withoutSqlite.length()).as("the SQLite driver was on the test class path").isLessThan(classPath.length());
    Path database = dir.resolve("never-created.db");

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", withoutSqlite, OpenSqliteMain.class.getName(), database.toString())
        .redirectErrorStream(true)
        .start();
    child.getOutputStream().close();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended; output:%n%s", output).isTrue();

    assertThat(output).as("child output").startsWith("dev.cohort.core.batch.CohortException: ")
        .contains("no JDBC driver for SQLite is on the class path")
        .contains("add the dependency org.xerial:sqlite-jdbc");
    assertThat(child.exitValue()).isEqualTo(OpenSqliteMain.FAILED);
    assertThat(database).as("no database file without a driver").doesNotExist();
  }

  /** Opens a SQLite repository on the file named by its argument; prints why when that fails. */
  static final class OpenSqliteMain {
    static final int FAILED = 3;

    private OpenSqliteMain() {}

    public static void main(String[] args) {
      try (JdbcRepository repository = JdbcRepository.sqlite(Path.of(args[0]))) {
        System.out.println("opened " + repository);
      } catch (RuntimeException e) {
        System.out.println(e);
        System.exit(FAILED);
      }
    }
  }
}
