package dev.cohort.testkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.cohort.core.Cohort;
import dev.cohort.testkit.architecture.bad.core.Facade;
import dev.cohort.testkit.architecture.bad.core.batch.Shared;
import dev.cohort.testkit.architecture.bad.core.internal.codec.Codec;
import dev.cohort.testkit.architecture.bad.core.io.Printer;
import dev.cohort.testkit.architecture.bad.inmemory.Reach;
import dev.cohort.testkit.architecture.bad.jdbc.JdbcStore;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every architecture rule fails on a deliberately bad fixture (under the root {@code
 * dev.cohort.testkit.architecture.bad}, which mimics Cohort's module packages) and passes on a
 * good one, so a green architecture test means the rule looked and found nothing.
 */
class ArchitectureRulesTest {
  private static final String BAD = "dev.cohort.testkit.architecture.bad";

  @Test
  void aCycleThroughTheRootPackageIsReported() {
    EvaluationResult result = ArchitectureRules.noPackageCycles(BAD).evaluate(classes(Facade.class, Shared.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(report(result)).contains(BAD + ".core", BAD + ".core.batch");
  }

  @Test
  void packagesWithoutACycleAreAccepted() {
    assertThat(ArchitectureRules.noPackageCycles(BAD).evaluate(classes(JdbcStore.class, Codec.class, Reach.class))
        .hasViolation()).isFalse();
  }

  @Test
  void theRootPackageIsASliceOfItsOwn() {
    PackageSlices slices = new PackageSlices("dev.cohort.core");
    JavaClasses core = new ClassFileImporter().importClasses(Cohort.class);

    assertThat(slices.getIdentifierOf(core.get(Cohort.class))).isEqualTo(SliceIdentifier.of("dev.cohort.core"));
  }

  @Test
  void aDrivenAdapterUsingAnotherAdapterIsReported() {
    EvaluationResult result = ArchitectureRules.dependenciesPointInward(BAD)
        .evaluate(classes(Reach.class, JdbcStore.class, Codec.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(report(result)).contains(Reach.class.getName(), JdbcStore.class.getName())
        .doesNotContain(Codec.class.getName());
  }

  @Test
  void anAdapterUsingCoreIsAccepted() {
    assertThat(ArchitectureRules.dependenciesPointInward(BAD).evaluate(classes(JdbcStore.class, Codec.class))
        .hasViolation()).isFalse();
  }

  @Test
  void anAdapterUsingACoreInternalPackageIsReported() {
    ModuleDescriptor core = ModuleDescriptor.newModule(BAD + ".core").build();

    EvaluationResult result = ArchitectureRules.coreInternalsStayInCore(BAD, core)
        .evaluate(classes(JdbcStore.class, Codec.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(report(result)).contains(JdbcStore.class.getName(), Codec.class.getName(),
        "core does not export " + BAD + ".core.internal.codec to " + BAD + ".jdbc");
  }

  @Test
  void aQualifiedExportAllowsThatModuleOnly() {
    ModuleDescriptor toJdbc = ModuleDescriptor.newModule(BAD + ".core")
        .exports(Set.of(), BAD + ".core.internal.codec", Set.of(BAD + ".jdbc")).build();
    ModuleDescriptor toHttp = ModuleDescriptor.newModule(BAD + ".core")
        .exports(Set.of(), BAD + ".core.internal.codec", Set.of(BAD + ".http")).build();
    JavaClasses classes = classes(JdbcStore.class, Codec.class);

    assertThat(ArchitectureRules.coreInternalsStayInCore(BAD, toJdbc).evaluate(classes).hasViolation()).isFalse();
    assertThat(ArchitectureRules.coreInternalsStayInCore(BAD, toHttp).evaluate(classes).hasViolation()).isTrue();
  }

  @Test
  void coreDoingConsoleAndFileIoIsReported() {
    EvaluationResult result = ArchitectureRules.coreDoesNoIo(BAD).evaluate(classes(Printer.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(report(result)).contains("java.io.File", "System.out");
  }

  @Test
  void coreWithoutIoIsAccepted() {
    assertThat(ArchitectureRules.coreDoesNoIo(BAD).evaluate(classes(Facade.class, Shared.class, Codec.class))
        .hasViolation()).isFalse();
  }

  @Test
  void aRootThatIsNoPackageNameIsRejected() {
    assertThatThrownBy(() -> ArchitectureRules.noPackageCycles(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    assertThatThrownBy(() -> ArchitectureRules.coreDoesNoIo("dev.cohort."))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dev.cohort.");
  }

  @Test
  void coresDescriptorIsReadFromWhereItsClassesAre() {
    ModuleDescriptor core = ArchitectureRules.moduleDescriptorOf(Cohort.class);

    assertThat(core.name()).isEqualTo("dev.cohort.core");
    assertThatThrownBy(() -> ArchitectureRules.moduleDescriptorOf(ArchitectureRulesTest.class))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no module-info.class");
  }

  private static JavaClasses classes(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  private static String report(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }
}
