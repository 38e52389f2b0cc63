package dev.cohort.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.testkit.architecture.ModulePathLauncher;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void quickstartRunsOnTheModulePath() {
    ModulePathLauncher.Result run = ModulePathLauncher.launch(dir, TIMEOUT, EXAMPLES, "dev.cohort.examples.Quickstart");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("Model: ")
        .contains("Status: completed (3 of 3 simulations completed")
        .contains("--- Simulation 1 (dyadic)")
        .contains("--- Simulation 3 (dyadic)");
  }

  @Test
  void sqliteExampleFindsTheDriverAndTheMigrationsOnTheModulePath() throws IOException {
    Path database = dir.resolve("example.db");

    ModulePathLauncher.Result run = ModulePathLauncher.launch(dir, TIMEOUT, EXAMPLES,
        "dev.cohort.examples.SqliteExample", database.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("Ran (\\d+) of \\1 simulations").contains("Reopened: ");
    // The example exports to a temporary folder (never the working directory) and says where.
    Matcher exported = Pattern.compile("Exported CSV to (\\S+\\.csv)").matcher(run.output());
    assertThat(exported.find()).as(run.output()).isTrue();
    assertThat(Path.of(exported.group(1))).isRegularFile();
  }

  @Test
  void noCohortModuleExportsAnInternalPackageToEveryone() {
    List<ModuleDescriptor> cohort = ModuleFinder.of(ModulePathLauncher.modulePathOf(EXAMPLES).toArray(Path[]::new))
        .findAll().stream()
        .map(ModuleReference::descriptor)
        .filter(d -> d.name().startsWith("dev.cohort."))
        .collect(Collectors.toList());

    assertThat(cohort).extracting(ModuleDescriptor::name)
        .contains("dev.cohort.core", "dev.cohort.inmemory", "dev.cohort.jdbc", EXAMPLES);
    assertThat(cohort).allSatisfy(d -> {
      assertThat(d.isAutomatic()).as(d.name()).isFalse();
      assertThat(d.exports()).as(d.name()).filteredOn(e -> !e.isQualified())
          .noneMatch(e -> e.source().contains(".internal"));
    });
  }
}
