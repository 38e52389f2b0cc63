package dev.cohort.analysis;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.cohort.testkit.architecture.ArchitectureRules;

/** Cohort's architecture rules ({@link ArchitectureRules}) on the analysis module's production classes. */
@AnalyzeClasses(packagesOf = CohortAnalysis.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchTests COHORT_RULES = ArchTests.in(ArchitectureRules.class);
}
