package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextArgumentTest {
  @TempDir
  Path dir;

  private final List<String> warnings = new ArrayList<>();

  @Test
  void textIsTakenAsItIs() {
    assertThat(ContextArgument.resolve("A panel discussion about climate change", dir, warnings::add))
        .isEqualTo("A panel discussion about climate change");
  }

  @Test
  void anAtFileIsReadAsUtf8AndTrimmed() {
    Samples.write(dir, "context.txt", "\n  Une réunion à la mairie 🌍\nsecond line\n\n");

    assertThat(ContextArgument.resolve("@context.txt", dir, warnings::add)).isEqualTo("Une réunion à la mairie 🌍\nsecond line");
  }

  @Test
  void thePathOfAnExistingFileIsReadAsTheOriginalScriptDid() {
    Samples.write(dir, "context.txt", "From a file");

    assertThat(ContextArgument.resolve("context.txt", dir, warnings::add)).isEqualTo("From a file");
    assertThat(ContextArgument.resolve(dir.resolve("context.txt").toString(), dir, warnings::add)).isEqualTo("From a file");
  }

  @Test
  void aMissingAtFileIsAnErrorNotText() {
    assertThatThrownBy(() -> ContextArgument.resolve("@context.txt", dir, warnings::add))
        .isInstanceOf(UsageException.class).hasMessage("--context: file 'context.txt' does not exist");
  }

  @Test
  void emptyFilesDirectoriesAndBareAtSignsAreRejected() throws IOException {
    Samples.write(dir, "empty.txt", " \n ");
    Files.createDirectory(dir.resolve("folder"));

    assertThatThrownBy(() -> ContextArgument.resolve("@empty.txt", dir, warnings::add)).hasMessage("--context: file 'empty.txt' is empty");
    assertThatThrownBy(() -> ContextArgument.resolve("@folder", dir, warnings::add)).hasMessageContaining("is a directory");
    assertThatThrownBy(() -> ContextArgument.resolve("@", dir, warnings::add)).hasMessageContaining("must be followed by a file name");
  }

  @Test
  void aFileThatIsNotUtf8IsRejected() throws IOException {
    Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});

    assertThatThrownBy(() -> ContextArgument.resolve("@latin1.txt", dir, warnings::add))
        .hasMessage("--context: file 'latin1.txt' is not UTF-8 text");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"examples/contxt.txt", "contxt.txt", "notes.MD", "setting.json", "./context"})
  void aValueThatLooksLikeAMissingFileIsUsedAsTextWithAWarning(String value) {
    assertThat(ContextArgument.resolve(value, dir, warnings::add)).isEqualTo(value);

    assertThat(warnings).singleElement().asString()
        .isEqualTo("--context '" + value + "' looks like a file name, but no such file exists; it is taken as the "
            + "context text itself (write @FILE to read a file)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"A panel discussion about climate change", "Pros and cons of 24/7 shops",
      "A talk about README.md files and more", "@context.txt"})
  void textAndExistingFilesGiveNoWarning(String value) {
    Samples.write(dir, "context.txt", "From a file");

    ContextArgument.resolve(value, dir, warnings::add);

    assertThat(warnings).isEmpty();
  }
}
