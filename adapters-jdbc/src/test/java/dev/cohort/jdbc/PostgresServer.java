package dev.cohort.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of this test JVM, started on first use and shared by every test: the
 * server named by {@value #ENV} when that is set, else an embedded one whose binaries come from
 * Maven Central. PostgreSQL refuses to run as root, so as root the embedded server runs in a child
 * JVM inside a user namespace ({@code unshare}), as the unprivileged user {@code nobody}. Public for
 * the benchmarks' tests, which get it in this module's test-jar.
 */
public final class PostgresServer {
  /** A JDBC URL of an external PostgreSQL to test against instead of the embedded one. */
  static final String ENV = "COHORT_TEST_POSTGRES_URL";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static String url;

  private PostgresServer() {}

  /** The server's JDBC URL, user included. */
  static synchronized String url() {
    if (url == null) {
      String external = System.getenv(ENV);
      url = external != null && !external.isBlank() ? external : startEmbedded();
    }
    return url;
  }

  /** A URL whose connections work in a new, empty schema: each repository gets its own tables. */
  public static String freshSchemaUrl() {
    String base = url();
    String schema = "cohort_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema + ": " + e.getMessage(), e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String startEmbedded() {
    try {
      if (!isRoot()) {
        EmbeddedPostgres pg = EmbeddedPostgresMain.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (IOException ignored) {
            // The JVM is exiting; the server's own shutdown hook tries again.
          }
        }));
        return pg.getJdbcUrl("postgres", "postgres");
      }
      return startInUserNamespace();
    } catch (IOException e) {
      throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static String startInUserNamespace() throws IOException {
    Path log = Files.createTempFile("embedded-postgres", ".log");
    List<String> command = new ArrayList<>(List.of(
        "unshare", "--user", "--map-user=65534", "--map-group=65534",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EmbeddedPostgresMain.class.getName()));
    Process child = new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        child.getOutputStream().close();
        child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (IOException | InterruptedException ignored) {
        // The JVM is exiting; the child also stops when our end of its standard input closes.
      }
    }));
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(EmbeddedPostgresMain.READY)) {
        int port = Integer.parseInt(line.substring(EmbeddedPostgresMain.READY.length()).strip());
        drain(out);
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
      }
    }
    throw new IOException("the embedded PostgreSQL did not start; its log is " + log + ":\n"
        + Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Keeps reading the child's output so that it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread t = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // The child ended.
      }
    }, "embedded-postgres-output");
    t.setDaemon(true);
    t.start();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
