/**
 * Cohort's test kit: the contract suites every adapter must pass, test fixtures and the shared
 * architecture rules. JUnit finds and runs the abstract suites' test methods reflectively in the
 * adapters' subclasses, hence the package is open to it. (ArchUnit reads the rule fields of
 * {@code ArchitectureRules}, which are public in an exported package: no opening needed.)
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cohort.testkit {
  exports dev.cohort.testkit;
  exports dev.cohort.testkit.architecture;
  exports dev.cohort.testkit.openai;
  opens dev.cohort.testkit to org.junit.platform.commons;

  requires transitive dev.cohort.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires transitive org.assertj.core;
  // Awaitility has no module name of its own: its jar name gives "awaitility".
  requires awaitility;
  requires jdk.httpserver;
  requires transitive com.fasterxml.jackson.databind;
  // ArchitectureRules' API is ArchUnit's ArchRule and @ArchTest, so users need ArchUnit too. It
  // ships no module-info; its Automatic-Module-Names are stable, so relying on them is safe.
  requires transitive com.tngtech.archunit;
  requires transitive com.tngtech.archunit.junit5.api;
  requires static transitive org.jspecify;
}
