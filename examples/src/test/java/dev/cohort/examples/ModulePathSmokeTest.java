package dev.cohort.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples run on the module path, in a child JVM: {@code java --module-path … -m
 * dev.cohort.examples/…}. The other tests run on the class path, where module descriptors are
 * ignored; this one fails if a {@code module-info.java} misses a {@code requires}, hides a package
 * another module needs, or if a resource or service (the SQLite driver, the migration scripts) is
 * not found across module boundaries.
 */
class ModulePathSmokeTest {
  private static final String EXAMPLES = "dev.cohort.examples";
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  @Test
  void quickstartRunsOnTheModulePath() throws Exception {
    Run run = runExample("dev.cohort.examples.Quickstart");

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output)
        .contains("Model: ")
        .contains("Status: completed (3 of 3 simulations completed")
        .contains("--- Simulation 1 (dyadic)")
        .contains("--- Simulation 3 (dyadic)");
  }

  @Test
  void sqliteExampleFindsTheDriverAndTheMigrationsOnTheModulePath() throws Exception {
    Path database = dir.resolve("example.db");

    Run run = runExample("dev.cohort.examples.SqliteExample", database.toString());

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output).containsPattern("Ran (\\d+) of \\1 simulations").contains("Reopened: ");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".csv"));
    }
  }

  @Test
  void noCohortModuleExportsAnInternalPackageToEveryone() {
    List<ModuleDescriptor> cohort = ModuleFinder.of(modulePath().toArray(Path[]::new)).findAll().stream()
        .map(ModuleReference::descriptor)
        .filter(d -> d.name().startsWith("dev.cohort."))
        .collect(Collectors.toList());

    assertThat(cohort).extracting(ModuleDescriptor::name)
        .contains("dev.cohort.core", "dev.cohort.inmemory", "dev.cohort.jdbc", "dev.cohort.examples");
    assertThat(cohort).allSatisfy(d -> {
      assertThat(d.isAutomatic()).as(d.name()).isFalse();
      assertThat(d.exports()).as(d.name()).filteredOn(e -> !e.isQualified())
          .noneMatch(e -> e.source().contains(".internal"));
    });
  }

  private Run runExample(String mainClass, String... args) throws IOException, InterruptedException {
    String modulePath = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", modulePath,
        "-m", EXAMPLES + "/" + mainClass));
    command.addAll(List.of(args));
    Path output = dir.resolve("output.txt");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(mainClass + " did not finish within " + TIMEOUT_SECONDS + " s:\n"
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /**
   * The modules {@code dev.cohort.examples} needs, found as the child JVM will find them: every jar
   * and module directory of this test's class path is a candidate, and resolving the examples module
   * against them (with service binding, which brings in the SQLite driver) picks those it needs.
   */
  private static List<Path> modulePath() {
    // Surefire starts the test JVM through a manifest-only jar and passes the real class path here.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path[] candidates = Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(Path::of)
        .filter(entry -> entry.toString().endsWith(".jar") || Files.isRegularFile(entry.resolve("module-info.class")))
        .toArray(Path[]::new);
    Configuration resolved = ModuleLayer.boot().configuration()
        .resolveAndBind(ModuleFinder.of(candidates), ModuleFinder.of(), Set.of(EXAMPLES));
    return resolved.modules().stream()
        .map(module -> module.reference().location().orElseThrow())
        .map(Path::of)
        .sorted()
        .collect(Collectors.toList());
  }

  private static final class Run {
    final int exitCode;
    final String output;

    Run(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }
}
