package dev.cohort.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An embedded PostgreSQL that a test can stop and start again on the same data directory and
 * port, run in a child process so that, when the tests run as root (which PostgreSQL refuses), it
 * can run as an unprivileged user in a user namespace. It reads commands from standard input:
 * {@code stop} and {@code start}, answering {@value #STOPPED} and {@value #READY} followed by the
 * port; it stops the server and exits when its standard input closes.
 *
 * <p>Arguments: the data directory.
 */
public final class PostgresServerMain {
  static final String READY = "postgres-ready port=";
  static final String STOPPED = "postgres-stopped";

  private PostgresServerMain() {}

  /** Serves until standard input closes. */
  public static void main(String[] args) throws IOException {
    Path dataDirectory = Path.of(args[0]);
    @Nullable EmbeddedPostgres pg = start(dataDirectory, 0);
    int port = pg.getPort();
    System.out.println(READY + port);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String command;
      while ((command = in.readLine()) != null) {
        if (command.equals("stop") && pg != null) {
          pg.close();
          pg = null;
          System.out.println(STOPPED);
        } else if (command.equals("start") && pg == null) {
          pg = start(dataDirectory, port);
          System.out.println(READY + port);
        } else {
          System.out.println("unknown or untimely command: " + command);
        }
        System.out.flush();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /**
   * A server on {@code dataDirectory} (created on first use, kept afterwards) and {@code port} (0
   * for a free one), tuned for tests: durability only an operating-system crash could test is off,
   * and there are connections enough for many repositories at once.
   */
  private static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .setServerConfig("max_connections", "300")
        .setPGStartupWait(java.time.Duration.ofSeconds(60));
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }
}
