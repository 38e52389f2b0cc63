package dev.cohort.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a child JVM on this test's class path, for the tests that kill or fence a process. */
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
}
