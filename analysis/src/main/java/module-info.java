/**
 * Cohort's analysis of a stored batch: {@code CohortAnalysis.analyze(cohort, batchId)} gives an
 * immutable {@code Analysis} of its declared outcomes, {@code CohortAnalysis.report(...)} a
 * self-contained HTML page. Distributions come from Hipparchus, which core does not depend on.
 */
// Hipparchus 3.1 jars have neither a module descriptor nor an Automatic-Module-Name, so they are
// automatic modules named from their file names; javac warns about requiring such a module.
// The qualified export names modules compiled after this one, which javac reports as not found.
@SuppressWarnings({"requires-automatic", "module"})
module dev.cohort.analysis {
  exports dev.cohort.analysis;
  // The JSON writer, for the REST server and the command line only.
  exports dev.cohort.analysis.internal to dev.cohort.http, dev.cohort.cli;

  requires transitive dev.cohort.core;
  requires hipparchus.core;
  requires hipparchus.stat;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;
}
