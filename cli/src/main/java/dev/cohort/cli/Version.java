package dev.cohort.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code cohort --version}: the version the jar was built as, and the Java it runs on. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return new String[] {
        "cohort " + (version != null ? version : "(development build)"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
  }
}
