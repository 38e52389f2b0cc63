package dev.cohort.testkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.FindException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModulePathLauncherTest {
  @Test
  void theModulePathHoldsTheModuleAndWhatItRequires() {
    assertThat(ModulePathLauncher.modulePathOf("dev.cohort.testkit"))
        .anyMatch(entry -> entry.endsWith(Path.of("testkit", "target", "classes")))
        // core's classes directory, or its jar once the package phase has run
        .anyMatch(entry -> entry.endsWith(Path.of("core", "target", "classes"))
            || entry.getFileName().toString().startsWith("cohort-core-"))
        .anyMatch(entry -> entry.getFileName().toString().startsWith("jackson-databind"))
        .noneMatch(entry -> entry.endsWith("test-classes"));
  }

  @Test
  void aModuleThatIsNotThereIsAFindException() {
    assertThatThrownBy(() -> ModulePathLauncher.modulePathOf("dev.cohort.nosuchmodule"))
        .isInstanceOf(FindException.class).hasMessageContaining("dev.cohort.nosuchmodule");
  }

  @Test
  void argumentsAreChecked() {
    Path here = Path.of(".");
    assertThatThrownBy(() -> ModulePathLauncher.launch(here, Duration.ZERO, "m", "C"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> ModulePathLauncher.launch(here, Duration.ofSeconds(1), " ", "C"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("module");
    assertThatThrownBy(() -> ModulePathLauncher.modulePathOf(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rootModule");
  }
}
