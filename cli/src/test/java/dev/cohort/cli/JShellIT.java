package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JShell one-liner opens a session with a working {@code cohort} object. */
class JShellIT {
  @TempDir
  Path dir;

  @Test
  void theJShellScriptGivesAReadyCohortOnSqlite() throws Exception {
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    assertThat(jshell).as("jshell of the JDK running the tests").isExecutable();
    Path script = CohortCli.repositoryRoot().resolve("examples/jshell/cohort.jsh");
    Path input = Samples.write(dir, "input.jsh", String.join("\n",
        "cohort.saveEntities(List.of(Entity.of(\"a\", \"Ada\", \"Engineer\"), Entity.of(\"b\", \"Ben\", \"Poet\")))",
        "var batch = cohort.run(BatchRequest.builder().name(\"Try\").context(\"A walk in the park\")"
            + ".entityIds(\"a\", \"b\").interactionSize(2).numSimulations(1).nTurns(2).build())",
        "System.out.println(\"STATUS=\" + batch.status().wireName())",
        "/exit", ""));
    Path out = dir.resolve("out.txt");

    Process process = new ProcessBuilder(List.of(jshell.toString(), "--class-path", CohortCli.jar().toString(),
        script.toString()))
        .directory(dir.toFile())
        .redirectInput(input.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(process.waitFor(CohortCli.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("jshell ended").isTrue();

    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("cohort is ready: simulated model (offline)", "STATUS=completed");
    assertThat(dir.resolve("cohort.db")).isRegularFile();
  }
}
