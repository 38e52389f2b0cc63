/**
 * The {@code cohort} command. Nothing is exported: the command is run, not linked against
 * ({@code java -m dev.cohort.cli/dev.cohort.cli.CohortCommand}, or the runnable jar on the class
 * path). picocli reads and sets the annotated command classes reflectively, hence the open package.
 */
module dev.cohort.cli {
  opens dev.cohort.cli to info.picocli;

  requires dev.cohort.core;
  requires dev.cohort.inmemory;
  requires dev.cohort.jdbc;
  requires dev.cohort.openai;
  requires dev.cohort.http;
  requires dev.cohort.analysis;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.jspecify;
}
