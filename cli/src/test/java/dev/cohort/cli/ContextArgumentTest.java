package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextArgumentTest {
  @TempDir
  Path dir;

  @Test
  void textIsTakenAsItIs() {
    assertThat(ContextArgument.resolve("A panel discussion about climate change", dir))
        .isEqualTo("A panel discussion about climate change");
  }

  @Test
  void anAtFileIsReadAsUtf8AndTrimmed() {
    Samples.write(dir, "context.txt", "\n  Une réunion à la mairie 🌍\nsecond line\n\n");

    assertThat(ContextArgument.resolve("@context.txt", dir)).isEqualTo("Une réunion à la mairie 🌍\nsecond line");
  }

  @Test
  void thePathOfAnExistingFileIsReadAsTheOriginalScriptDid() {
    Samples.write(dir, "context.txt", "From a file");

    assertThat(ContextArgument.resolve("context.txt", dir)).isEqualTo("From a file");
    assertThat(ContextArgument.resolve(dir.resolve("context.txt").toString(), dir)).isEqualTo("From a file");
  }

  @Test
  void aMissingAtFileIsAnErrorNotText() {
    assertThatThrownBy(() -> ContextArgument.resolve("@context.txt", dir))
        .isInstanceOf(UsageException.class).hasMessage("--context: file 'context.txt' does not exist");
  }

  @Test
  void emptyFilesDirectoriesAndBareAtSignsAreRejected() throws IOException {
    Samples.write(dir, "empty.txt", " \n ");
    Files.createDirectory(dir.resolve("folder"));

    assertThatThrownBy(() -> ContextArgument.resolve("@empty.txt", dir)).hasMessage("--context: file 'empty.txt' is empty");
    assertThatThrownBy(() -> ContextArgument.resolve("@folder", dir)).hasMessageContaining("is a directory");
    assertThatThrownBy(() -> ContextArgument.resolve("@", dir)).hasMessageContaining("must be followed by a file name");
  }

  @Test
  void aFileThatIsNotUtf8IsRejected() throws IOException {
    Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});

    assertThatThrownBy(() -> ContextArgument.resolve("@latin1.txt", dir))
        .hasMessage("--context: file 'latin1.txt' is not UTF-8 text");
  }
}
