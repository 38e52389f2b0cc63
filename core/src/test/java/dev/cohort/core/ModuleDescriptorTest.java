package dev.cohort.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Core's compiled module descriptor (read from the directory or jar its classes come from, while
 * the tests themselves run on the class path) exports exactly the API packages, and everything
 * else it holds is internal.
 */
class ModuleDescriptorTest {
  private static final Set<String> API = Set.of(
      "dev.cohort.core",
      "dev.cohort.core.batch",
      "dev.cohort.core.export",
      "dev.cohort.core.port",
      "dev.cohort.core.sampling",
      "dev.cohort.core.spend");
  private static final String INTERNAL = "dev.cohort.core.internal.";

  private final ModuleDescriptor core = descriptor();

  @Test
  void isANamedModule() {
    assertThat(core.name()).isEqualTo("dev.cohort.core");
    assertThat(core.isAutomatic()).isFalse();
    assertThat(core.isOpen()).isFalse();
  }

  @Test
  void exportsExactlyTheApiPackagesToEveryone() {
    Set<String> exported = core.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());

    assertThat(exported).isEqualTo(API);
  }

  @Test
  void everyOtherPackageIsInternalAndExportedOnlyByName() {
    assertThat(core.packages()).containsAll(API);
    assertThat(core.packages()).filteredOn(p -> !API.contains(p)).isNotEmpty().allMatch(p -> p.startsWith(INTERNAL));
    assertThat(core.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
        .allMatch(e -> e.source().startsWith(INTERNAL), "qualified exports are internal packages")
        .allMatch(e -> e.targets().stream().allMatch(t -> t.startsWith("dev.cohort.")), "to Cohort modules only");
    assertThat(core.opens()).isEmpty();
  }

  private static ModuleDescriptor descriptor() {
    try {
      Path classes = Path.of(Cohort.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return ModuleFinder.of(classes).find("dev.cohort.core").orElseThrow().descriptor();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
