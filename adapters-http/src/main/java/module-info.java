/**
 * Cohort's REST server, {@code CohortServer}, on the JDK's built-in HTTP server. The route
 * handlers and JSON readers are package-private behind it.
 */
module dev.cohort.http {
  exports dev.cohort.http;

  requires transitive dev.cohort.core;
  requires dev.cohort.analysis;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;
}
