package dev.cohort.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * The default name a process holds leases under, {@code worker-HOST-PID}, so that "leased by …"
 * tells which machine and process to look at. The host is the machine's own name; {@code
 * $HOSTNAME} (often not exported to child processes) and {@code $COMPUTERNAME} only stand in when
 * the name cannot be looked up, and {@code localhost} when nothing is known.
 */
final class WorkerName {
  /** Looks up this machine's host name. */
  @FunctionalInterface
  interface HostLookup {
    String hostName() throws IOException;
  }

  private WorkerName() {}

  /** {@code worker-HOST-PID} for this process. */
  static String current() {
    return of(() -> InetAddress.getLocalHost().getHostName(), System.getenv(), ProcessHandle.current().pid());
  }

  /** {@code worker-HOST-PID} with the host from {@code lookup}, else from {@code env}, else {@code localhost}. */
  static String of(HostLookup lookup, Map<String, String> env, long pid) {
    return "worker-" + host(lookup, env) + "-" + pid;
  }

  private static String host(HostLookup lookup, Map<String, String> env) {
    try {
      String name = lookup.hostName();
      if (name != null && !name.isBlank()) {
        return name.strip();
      }
    } catch (IOException | RuntimeException unresolvable) {
      // A machine whose own name does not resolve: the variables below may still name it.
    }
    for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String name = env.get(variable);
      if (name != null && !name.isBlank()) {
        return name.strip();
      }
    }
    return "localhost";
  }
}
