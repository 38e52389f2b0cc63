package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} on a port another socket holds says so in one plain line. */
class ServePortInUseTest {
  @TempDir
  Path dir;

  @Test
  void aPortInUseIsOnePlainLineNamingPortAndTheReasonWithExitCode1() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = holder.getLocalPort();

      CohortCli.Result result = InProcess.run("serve", "--offline", "--port", Integer.toString(port),
          "--db", dir.resolve("cohort.db").toString());

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
      assertThat(result.errLines()).as(result.toString())
          .filteredOn(line -> !line.startsWith("Model:")).singleElement().asString()
          .startsWith("cohort serve: --port " + port + ": ")
          .contains("in use")
          .doesNotContain("Exception");
      assertThat(result.out()).doesNotContain("Serving");
    }
  }
}
