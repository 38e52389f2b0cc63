package dev.cohort.cli;

import dev.cohort.core.port.HeldLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resumed batch waits for: simulations still leased by another process (one that crashed,
 * or one still running them), which run here only once those leases expire. Without this the
 * command would sit silent for up to a lease's length.
 */
final class LeaseWait {
  private LeaseWait() {}

  /**
   * One line per lease holder, {@code Waiting for 2 simulations leased by worker-HOST-PID until
   * TIME …}, in the order the leases come; none when nothing is held.
   */
  static List<String> describe(List<HeldLease> held) {
    Map<String, List<HeldLease>> byOwner = new LinkedHashMap<>();
    for (HeldLease lease : held) {
      byOwner.computeIfAbsent(lease.owner(), owner -> new ArrayList<>()).add(lease);
    }
    List<String> lines = new ArrayList<>();
    byOwner.forEach((owner, leases) -> {
      Instant until = leases.stream().map(HeldLease::expiresAt).max(Instant::compareTo).orElseThrow();
      lines.add("Waiting for " + leases.size() + (leases.size() == 1 ? " simulation" : " simulations")
          + " leased by " + owner + " until " + BatchText.time(until) + " (if that process still runs, it "
          + "renews them and finishes them itself; --lease-duration sets how long a lease lasts)");
    });
    return lines;
  }
}
