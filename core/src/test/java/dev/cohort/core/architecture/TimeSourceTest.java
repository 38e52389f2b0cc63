package dev.cohort.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class TimeSourceTest {

  @Test
  void coreReadsTimeOnlyThroughTheInjectedClockAndTicker() {
    JavaClasses core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.cohort.core");
    assertThat(core.contain("dev.cohort.core.Cohort")).as("the main classes were imported").isTrue();

    TimeSourceRule.ONLY_INJECTED_TIME.check(core);
  }

  @Test
  void theRuleCatchesACallAndAMethodReferenceToTheSystemClock() {
    JavaClasses offender = new ClassFileImporter().importClasses(ReadsTheSystemClock.class);

    EvaluationResult result = TimeSourceRule.ONLY_INJECTED_TIME.evaluate(offender);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains("Instant.now()"))
        .anySatisfy(line -> assertThat(line).contains("System.nanoTime()"))
        .hasSize(2);
  }
}
