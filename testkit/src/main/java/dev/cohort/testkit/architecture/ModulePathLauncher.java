package dev.cohort.testkit.architecture;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a Cohort module's main class in a child JVM on the module path ({@code java --module-path
 * … -m module/class}), for tests that check the module descriptors hold at run time while the
 * tests themselves run on the class path. The module path is taken from the test's own class
 * path: every jar and module directory on it is a candidate, and resolving the root module
 * against them (with service binding, which brings in JDBC drivers and logging providers) picks
 * those the program needs, just as the child JVM will.
 */
public final class ModulePathLauncher {
  /** Environment variables removed from the child's environment, so that it runs offline and on its own defaults. */
  private static final List<String> SCRUBBED = List.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL",
      "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "COHORT_DB", "COHORT_TOKEN", "JAVA_TOOL_OPTIONS");

  private ModulePathLauncher() {}

  /** A finished child JVM: its exit code and its standard output and error, interleaved. */
  public record Result(int exitCode, String output) {
    /** Checks the fields. */
    public Result {
      Objects.requireNonNull(output, "output");
    }
  }

  /**
   * The jars and module directories of this JVM's test class path that {@code rootModule} needs.
   *
   * @param rootModule the module to resolve, such as {@code dev.cohort.examples}
   * @throws java.lang.module.FindException if the module or one it requires is missing
   */
  public static List<Path> modulePathOf(String rootModule) {
    requireName(rootModule, "rootModule");
    // Surefire starts the test JVM through a manifest-only jar and passes the real class path here.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path[] candidates = Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(Path::of)
        // Another module's test jar (a test dependency such as cohort-jdbc's tests) would be an
        // automatic module holding that module's packages again; no user's module path has one.
        .filter(entry -> !entry.getFileName().toString().endsWith("-tests.jar"))
        .filter(entry -> entry.toString().endsWith(".jar") || Files.isRegularFile(entry.resolve("module-info.class")))
        .toArray(Path[]::new);
    Configuration resolved = ModuleLayer.boot().configuration()
        .resolveAndBind(ModuleFinder.of(candidates), ModuleFinder.of(), Set.of(rootModule));
    return resolved.modules().stream()
        .map(module -> Path.of(module.reference().location().orElseThrow()))
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Runs {@code java --module-path <modulePathOf(module)> -m module/mainClass args…} in {@code
   * directory} and waits for it to end.
   *
   * @param directory the child's working directory; its output is also written to {@code output.txt} there
   * @param timeout how long the child may run before it is killed and this fails
   * @param module the module holding the main class
   * @param mainClass the main class's binary name
   * @param args the program's arguments
   * @throws AssertionError if the child does not finish within {@code timeout}
   */
  public static Result launch(Path directory, Duration timeout, String module, String mainClass, String... args) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    requireName(module, "module");
    requireName(mainClass, "mainClass");
    String modulePath = modulePathOf(module).stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", modulePath,
        "-m", module + "/" + mainClass));
    command.addAll(List.of(args));
    Path output = directory.resolve("output.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> environment = builder.environment();
    SCRUBBED.forEach(environment::remove);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(module + "/" + mainClass + " did not finish within " + timeout + ":\n" + read(output));
      }
      return new Result(process.exitValue(), read(output));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + mainClass + " was running", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireName(String name, String field) {
    Objects.requireNonNull(name, field);
    if (name.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
