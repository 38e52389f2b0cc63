package dev.cohort.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;

/**
 * Runs an embedded PostgreSQL (binaries from Maven Central) until its standard input closes, and
 * prints {@value #READY} followed by the port once it accepts connections. {@link PostgresServer}
 * starts it in a child process when the tests run as root, which PostgreSQL refuses; the child then
 * runs in a user namespace as an unprivileged user.
 */
public final class EmbeddedPostgresMain {
  static final String READY = "embedded-postgres-port=";

  private EmbeddedPostgresMain() {}

  /** Starts the server, prints the port, waits for standard input to close, stops the server. */
  public static void main(String[] args) throws IOException {
    try (EmbeddedPostgres pg = start()) {
      System.out.println(READY + pg.getPort());
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // Wait: the parent closes our standard input (or dies) when it no longer needs the server.
      }
    }
  }

  /**
   * An embedded server tuned for tests: durability that only an operating-system crash could
   * test is off, and there are connections enough for several repositories at once.
   */
  static EmbeddedPostgres start() throws IOException {
    return EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .setServerConfig("max_connections", "300")
        .setPGStartupWait(java.time.Duration.ofSeconds(60))
        .start();
  }
}
