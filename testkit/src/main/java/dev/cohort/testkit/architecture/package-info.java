/**
 * Cohort's architecture, as rules the build checks. {@link
 * dev.cohort.testkit.architecture.ArchitectureRules} holds every rule once (dependencies point
 * inward, {@code dev.cohort.core.internal} stays inside core, no cycles between packages, core does
 * no file, network or SQL I/O); each module's test class runs them all on its own production
 * classes with ArchUnit:
 *
 * <pre>{@code
 * @AnalyzeClasses(packagesOf = InMemoryRepository.class, importOptions = ImportOption.DoNotIncludeTests.class)
 * class ArchitectureTest {
 *   @ArchTest static final ArchTests COHORT_RULES = ArchTests.in(ArchitectureRules.class);
 * }
 * }</pre>
 *
 * <p>{@link dev.cohort.testkit.architecture.ModulePathLauncher} runs a module's program on the
 * module path in a child JVM, so a test can prove that the module descriptors hold at run time.
 */
@NullMarked
package dev.cohort.testkit.architecture;

import org.jspecify.annotations.NullMarked;
