package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default worker id names the machine even when {@code $HOSTNAME} is not exported. */
class WorkerIdTest {
  private static final WorkerName.HostLookup UNRESOLVABLE = () -> {
    throw new UnknownHostException("vm: Name or service not known");
  };

  @Test
  void theDefaultIdNamesThisMachinesHostAndProcessWithoutHostnameVariable() throws UnknownHostException {
    String host = InetAddress.getLocalHost().getHostName();

    assertThat(WorkerName.current()).isEqualTo("worker-" + host + "-" + ProcessHandle.current().pid());
    assertThat(WorkerName.of(() -> host, Map.of(), 42)).isEqualTo("worker-" + host + "-42");
  }

  @Test
  void aHostNameThatCannotBeLookedUpFallsBackToHostnameThenComputername() {
    assertThat(WorkerName.of(UNRESOLVABLE, Map.of("HOSTNAME", "box-7", "COMPUTERNAME", "PC"), 42))
        .isEqualTo("worker-box-7-42");
    assertThat(WorkerName.of(UNRESOLVABLE, Map.of("COMPUTERNAME", "PC"), 42)).isEqualTo("worker-PC-42");
  }

  @Test
  void withNothingKnownTheHostIsLocalhost() {
    assertThat(WorkerName.of(UNRESOLVABLE, Map.of("HOSTNAME", " "), 42)).isEqualTo("worker-localhost-42");
    assertThat(WorkerName.of(() -> "", Map.of(), 42)).isEqualTo("worker-localhost-42");
  }
}
