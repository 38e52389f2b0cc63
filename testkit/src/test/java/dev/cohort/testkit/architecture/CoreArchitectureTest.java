package dev.cohort.testkit.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.cohort.core.Cohort;

/**
 * Cohort's architecture rules on core's production classes. It lives here, not in core: core's
 * tests cannot depend on the test kit, which depends on core.
 */
@AnalyzeClasses(packagesOf = Cohort.class, importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  @ArchTest
  static final ArchTests COHORT_RULES = ArchTests.in(ArchitectureRules.class);
}
