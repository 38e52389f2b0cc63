package dev.cohort.cli;

/**
 * Sets up slf4j-simple, the command line's logging backend, before the first logger exists: warnings
 * and errors only, on standard error, unless {@code --verbose} asks for more. Settings given with
 * {@code -D} on the java command line win.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(boolean verbose) {
    setIfAbsent("defaultLogLevel", verbose ? "info" : "warn");
    setIfAbsent("logFile", "System.err");
    setIfAbsent("showThreadName", "false");
    setIfAbsent("showShortLogName", "true");
    setIfAbsent("levelInBrackets", "true");
    setIfAbsent("showDateTime", verbose ? "true" : "false");
    setIfAbsent("dateTimeFormat", "HH:mm:ss.SSS");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
