package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Following the README from the repository root leaves no untracked results there. */
class RepositoryRootTest {
  private static final Pattern EXPORT = Pattern.compile("--export\\s+(\"[^\"]+\"|\\S+)");

  @Test
  void theReadmesExportsGoToATemporaryFolder() throws IOException {
    String readme = Files.readString(CohortCli.repositoryRoot().resolve("README.md"));
    List<String> files = new ArrayList<>();
    Matcher m = EXPORT.matcher(readme);
    while (m.find()) {
      if (!m.group(1).startsWith("FILE") && !m.group(1).startsWith("`")) {
        files.add(m.group(1));
      }
    }

    assertThat(files).isNotEmpty().allSatisfy(file -> assertThat(file).contains("${TMPDIR:-/tmp}/"));
  }

  @Test
  void databasesAndExportsAreIgnoredByGit() throws IOException {
    List<String> ignored = Files.readAllLines(CohortCli.repositoryRoot().resolve(".gitignore"));

    assertThat(ignored).contains("*.db", "*.csv", "*.jsonl");
  }
}
