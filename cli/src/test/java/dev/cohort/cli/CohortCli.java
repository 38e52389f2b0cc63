package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs the real {@code cohort.jar} as a child process in a working directory, with a clean
 * environment: no OpenAI variables (so the offline model is used) and no {@code COHORT_*}
 * settings. Output goes to files, so a chatty child never blocks on a full pipe.
 */
final class CohortCli {
  /** Longest a command may take before the test fails. */
  // Generous: a deadline, not an expectation. Child JVMs (and jshell, which compiles) start slowly on
  // a loaded 2-core machine; 90 s was once too short there.
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> SCRUBBED = List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL",
      "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "COHORT_DB", "COHORT_TOKEN", "JAVA_TOOL_OPTIONS");

  private final Path workingDir;
  private final Map<String, String> extraEnv;

  CohortCli(Path workingDir) {
    this(workingDir, Map.of());
  }

  private CohortCli(Path workingDir, Map<String, String> extraEnv) {
    this.workingDir = workingDir;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** The same, with these environment variables set for every command. */
  CohortCli withEnv(Map<String, String> env) {
    return new CohortCli(workingDir, env);
  }

  /** The jar under test, built by the package phase. */
  static Path jar() {
    String jar = System.getProperty("cohort.jar");
    assertThat(jar).as("system property cohort.jar (set by the failsafe configuration)").isNotNull();
    Path path = Path.of(jar);
    assertThat(path).as("the shaded jar; run the package phase first").isRegularFile();
    return path;
  }

  /** The repository's root folder. */
  static Path repositoryRoot() {
    return Path.of(System.getProperty("cohort.repository", "..")).toAbsolutePath().normalize();
  }

  /** The folder commands run in. */
  Path dir() {
    return workingDir;
  }

  /** Runs {@code cohort args...} to its end. */
  Result run(String... args) {
    Running running = start(args);
    return running.await();
  }

  /** Starts {@code cohort args...} without waiting. */
  Running start(String... args) {
    List<String> command = new ArrayList<>();
    if (Signals.sigintIgnored()) {
      // Started from a shell that ignores Ctrl-C (a background job): give the child the default
      // disposition back, or it could not be interrupted at all.
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile("cohort-stdout", ".txt");
      Path err = Files.createTempFile("cohort-stderr", ".txt");
      out.toFile().deleteOnExit();
      err.toFile().deleteOnExit();
      ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> env = builder.environment();
      SCRUBBED.forEach(env::remove);
      env.putAll(extraEnv);
      return new Running(builder.start(), out, err, String.join(" ", args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A finished command. */
  record Result(int exitCode, String out, String err) {
    /** Standard error's lines. */
    List<String> errLines() {
      return err.lines().toList();
    }

    /** The batch id printed as {@code Batch simulation ID: <id>}. */
    String batchId() {
      return out.lines().filter(l -> l.startsWith("Batch simulation ID: ")).findFirst()
          .map(l -> l.substring("Batch simulation ID: ".length()).strip())
          .orElseThrow(() -> new AssertionError("no batch id in the output:\n" + this));
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A command still running. */
  static final class Running {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String args;

    Running(Process process, Path out, Path err, String args) {
      this.process = process;
      this.out = out;
      this.err = err;
      this.args = args;
    }

    Process process() {
      return process;
    }

    /** Standard error so far. */
    String err() {
      return read(err);
    }

    /** Standard output so far. */
    String out() {
      return read(out);
    }

    /** Waits until standard output or error shows what {@code ready} looks for. */
    void awaitOutput(Predicate<Running> ready, String what) {
      try {
        Awaitility.await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
          if (ready.test(this)) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError("cohort " + args + " ended before " + what + ":\n" + await());
          }
          return false;
        });
      } catch (ConditionTimeoutException e) {
        process.destroyForcibly();
        throw new AssertionError("cohort " + args + " did not show " + what + " in " + TIMEOUT + ":\n"
            + "--- stdout\n" + out() + "--- stderr\n" + err(), e);
      }
    }

    /** Sends {@code signal} (such as {@code INT}) with the kill command, as a terminal or a supervisor would. */
    void signal(String signal) {
      try {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal).isZero();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Waits for the end and returns what the command printed. */
    Result await() {
      try {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("cohort " + args + " did not end in " + TIMEOUT + ":\n--- stdout\n" + out()
              + "--- stderr\n" + err());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      return new Result(process.exitValue(), out(), err());
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
