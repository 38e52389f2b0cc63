package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cohort}: builds the jar with the Maven wrapper when it is missing, then runs it. The
 * wrapper is replaced by a stand-in that records its arguments and copies the real jar into place,
 * so the test checks the script's logic without a second Maven build.
 */
class LauncherIT {
  @TempDir
  Path checkout;

  @Test
  void launcherBuildsTheJarOnFirstUseThenRunsIt() throws Exception {
    Files.createDirectories(checkout.resolve("bin"));
    Files.copy(CohortCli.repositoryRoot().resolve("bin/cohort"), checkout.resolve("bin/cohort"));
    Path log = checkout.resolve("mvnw.log");
    Files.writeString(checkout.resolve("mvnw"), String.join("\n",
        "#!/usr/bin/env bash",
        "echo \"$@\" >> '" + log + "'",
        "mkdir -p cli/target && cp '" + CohortCli.jar() + "' cli/target/cohort.jar",
        ""));
    Files.setPosixFilePermissions(checkout.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(checkout.resolve("bin/cohort"), PosixFilePermissions.fromString("rwxr-xr-x"));

    Result first = launch("--version");
    Result second = launch("--version");

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output()).contains("building", "cohort ");
    assertThat(Files.readAllLines(log)).containsExactly("-q -B -pl cli -am package -DskipTests");
    assertThat(second.exitCode()).isZero();
    assertThat(second.output()).doesNotContain("building").contains("cohort ");
  }

  private record Result(int exitCode, String output) {}

  private Result launch(String... args) throws Exception {
    Path out = Files.createTempFile(checkout, "launcher", ".txt");
    ProcessBuilder builder = new ProcessBuilder(concat(checkout.resolve("bin/cohort").toString(), args))
        .directory(checkout.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    assertThat(process.waitFor(CohortCli.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static List<String> concat(String first, String... rest) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.stream.Stream.of(rest)).toList();
  }
}
