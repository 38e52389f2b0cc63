/**
 * Cohort's in-memory adapters: {@code InMemoryRepository} and the offline {@code SimulatedLlm}.
 * One package is exported; everything in it but those two entry points is package-private.
 */
module dev.cohort.inmemory {
  exports dev.cohort.inmemory;

  requires transitive dev.cohort.core;
  requires com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;
}
