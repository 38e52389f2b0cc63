package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process writing rounds through SQLite's grouped writer from many threads is killed with
 * SIGKILL; reopened, the file holds every round whose caller had been told it was stored.
 */
class GroupedWriterCrashTest {
  /** Durable rounds to see before the kill: enough that many groups have committed. */
  private static final int KILL_AFTER = 600;
  private static final Pattern DURABLE = Pattern.compile(GroupedWriterCrashMain.DURABLE + "(\\S+ \\d+)");

  @TempDir Path dir;

  @Test
  void everyRoundReportedStoredSurvivesAKill() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("grouped.db");
    // A file, not a pipe: what the writer printed before it died is still there after the kill.
    Path printed = dir.resolve("child-stdout.txt");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        GroupedWriterCrashMain.class.getName(), url)
        .redirectOutput(printed.toFile())
        .redirectError(dir.resolve("child-stderr.txt").toFile())
        .start();
    try {
      await("the writer to report " + KILL_AFTER + " stored rounds").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(child.isAlive()).as("writer process alive (stderr in " + dir + ")").isTrue();
            return durable(printed).size() >= KILL_AFTER;
          });
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Set<String> durable = durable(printed);

    // Opening the repository again recovers the file as a restarted worker would.
    JdbcRepository.builder().url(url).build().close();
    Set<String> stored = new HashSet<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT simulation_id, round FROM simulation_rounds")) {
      while (rs.next()) {
        stored.add(rs.getString(1) + " " + rs.getInt(2));
      }
    }
    assertThat(durable).hasSizeGreaterThanOrEqualTo(KILL_AFTER);
    assertThat(stored).as("rounds in the reopened file").containsAll(durable);
    assertThat(stored).as("the kill came before the last round")
        .hasSizeLessThan(GroupedWriterCrashMain.SIMULATIONS * GroupedWriterCrashMain.ROUNDS);
  }

  /** The rounds the writer reported stored: whole lines only (the kill may cut the last one). */
  private static Set<String> durable(Path printed) throws IOException {
    String text = Files.readString(printed, StandardCharsets.UTF_8);
    Set<String> durable = new HashSet<>();
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      Matcher m = DURABLE.matcher(line);
      if (m.matches()) {
        durable.add(m.group(1));
      }
    }
    return durable;
  }
}
