package dev.cohort.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this test JVM knows about its own signal dispositions (Linux only; elsewhere assumes the defaults). */
final class Signals {
  private static final long SIGINT_BIT = 1L << (2 - 1);

  private Signals() {}

  /** Whether SIGINT is ignored by this process, and so by every child it starts. */
  static boolean sigintIgnored() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    try {
      return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
          .map(l -> (Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16) & SIGINT_BIT) != 0)
          .orElse(false);
    } catch (IOException e) {
      return false;
    }
  }
}
