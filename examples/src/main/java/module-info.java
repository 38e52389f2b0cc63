/**
 * Runnable examples: {@code java --module-path ... -m dev.cohort.examples/dev.cohort.examples.Quickstart}
 * works as well as running them on the class path.
 */
module dev.cohort.examples {
  requires dev.cohort.core;
  requires dev.cohort.inmemory;
  requires dev.cohort.jdbc;
  requires static org.jspecify;
}
