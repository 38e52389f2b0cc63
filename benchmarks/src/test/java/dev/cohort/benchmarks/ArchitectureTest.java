package dev.cohort.benchmarks;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.cohort.testkit.architecture.ArchitectureRules;

/**
 * Cohort's architecture rules ({@link ArchitectureRules}) on the benchmarks: they use core's public
 * API like a user's code, except the engine that core exports to them by name for {@link
 * RoundCpuBenchmark}.
 */
@AnalyzeClasses(packagesOf = SamplerBenchmark.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchTests COHORT_RULES = ArchTests.in(ArchitectureRules.class);
}
