package dev.cohort.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An embedded PostgreSQL in a child process ({@link PostgresServerMain}) that a test can stop and
 * start again: the same data directory, the same port, so clients reconnect to the same URL and
 * find their data. One {@link #shared() shared} server serves the tests that only need a database;
 * a test that stops its server {@link #start starts} its own.
 */
final class PostgresServer implements AutoCloseable {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static @Nullable PostgresServer shared;

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final int port;
  private final Path data;
  private final Path log;

  private PostgresServer(Process process, Path data, Path log) throws IOException {
    this.process = process;
    this.data = data;
    this.log = log;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.port = Integer.parseInt(await(PostgresServerMain.READY).strip());
  }

  /** The server shared by every test of this JVM, started on first use, stopped when the JVM exits. */
  static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      shared = server;
    }
    return shared;
  }

  /** A new server on a new data directory. */
  static PostgresServer start() {
    try {
      Path data = Files.createTempDirectory("cohort-reliability-pg");
      Path log = Files.createTempFile("cohort-reliability-pg", ".log");
      List<String> command = new ArrayList<>();
      if ("root".equals(System.getProperty("user.name"))) {
        // PostgreSQL refuses to run as root: run it as an unprivileged user in a user namespace.
        command.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534"));
      }
      command.addAll(List.of(ChildJvm.java(), "-cp", System.getProperty("java.class.path"),
          PostgresServerMain.class.getName(), data.toString()));
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      return new PostgresServer(process, data, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /** The URL of the {@code postgres} database, user included. */
  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** A URL whose connections work in a new, empty schema, so each test gets its own tables. */
  String freshSchemaUrl(String applicationName) {
    String schema = "reliability_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create schema " + schema + ": " + e.getMessage(), e);
    }
    return url() + "&currentSchema=" + schema + "&ApplicationName=" + applicationName;
  }

  /** Stops the server (a fast shutdown: sessions are ended) and waits until it is down. */
  void stop() {
    command("stop", PostgresServerMain.STOPPED);
  }

  /** Starts the stopped server again on the same data directory and port, and waits until it accepts connections. */
  void restart() {
    command("start", PostgresServerMain.READY);
  }

  /** Stops the server and its process, and deletes its data directory and log. */
  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // Only temporary files are left behind.
    }
  }

  private synchronized void command(String command, String answer) {
    try {
      commands.write(command + "\n");
      commands.flush();
      await(answer);
    } catch (IOException e) {
      throw new UncheckedIOException("the PostgreSQL process did not take '" + command + "'", e);
    }
  }

  private String await(String prefix) throws IOException {
    String line;
    while ((line = answers.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    throw new IOException("the embedded PostgreSQL process ended; its log " + log + " says:\n"
        + Files.readString(log, StandardCharsets.UTF_8));
  }
}
