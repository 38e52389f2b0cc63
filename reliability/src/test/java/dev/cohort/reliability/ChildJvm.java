package dev.cohort.reliability;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Starts a child JVM on this test's class path, for the tests that kill or fence a process, and reads
 * the lines it prints to say where it is.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** The {@code java} launcher of the running JDK. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts {@code mainClass} with {@code args} in a JVM of its own.
   *
   * @param jvmOptions options before the class path, such as {@code -Xmx256m}
   * @param stderr where the child's standard error goes
   */
  static Process start(List<String> jvmOptions, Class<?> mainClass, List<String> args, Path stderr) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("--enable-native-access=ALL-UNNAMED");
    // Short-lived children start faster with the quick compiler and the small collector.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + mainClass.getSimpleName(), e);
    }
  }

  /** The child's standard output as text, read line by line with {@link #readLine}. */
  static BufferedReader output(Process child) {
    return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Reads {@code out} up to the first line that starts with {@code prefix} and returns the rest of
   * that line, stripped; the lines before it are skipped.
   *
   * @param name the child's name, for the failure message
   * @throws AssertionError when the child ends before printing such a line
   */
  static String readLine(Process child, BufferedReader out, String prefix, String name)
      throws IOException, InterruptedException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new AssertionError("worker " + name + " ended (exit " + child.waitFor() + ") before printing " + prefix);
  }

  /**
   * Waits up to {@code patience} until {@code count} reaches {@code target}, failing at once with the
   * child's standard error (in {@code stderr}) if the child ends first.
   *
   * @param what what is counted, for the messages
   */
  static void awaitCount(String what, LongSupplier count, long target, Process child, Path stderr, Duration patience) {
    await("the worker's " + what + " to reach " + target).atMost(patience).pollInterval(Duration.ofMillis(5))
        .until(() -> {
          if (count.getAsLong() >= target) {
            return true;
          }
          if (!child.isAlive()) {
            throw new AssertionError("the worker process ended (exit " + child.exitValue() + ") at "
                + count.getAsLong() + " of " + target + " " + what + "; its standard error:\n"
                + Files.readString(stderr, StandardCharsets.UTF_8));
          }
          return false;
        });
  }
}
