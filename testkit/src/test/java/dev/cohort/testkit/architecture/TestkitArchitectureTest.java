package dev.cohort.testkit.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.cohort.testkit.TestBatches;

/** Cohort's architecture rules on the test kit's own production classes. */
@AnalyzeClasses(packagesOf = TestBatches.class, importOptions = ImportOption.DoNotIncludeTests.class)
class TestkitArchitectureTest {
  @ArchTest
  static final ArchTests COHORT_RULES = ArchTests.in(ArchitectureRules.class);
}
