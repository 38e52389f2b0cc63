package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ProviderJob;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderJobsTextTest {
  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

  @Test
  void aJobOfARegistryModelNamesItsModelAndAJobOfTheOneModelNamesNone() {
    ProviderJob onBeta = new ProviderJob("b1", "batch_b", BatchJobState.IN_PROGRESS, "file-b", null, null, 10, 4, 1,
        List.of("s2-r1-q0-a1"), AT, false, "beta");
    ProviderJob onTheOne = new ProviderJob("b1", "batch_c", BatchJobState.IN_PROGRESS, "file-c", null, null, 10, 4,
        1, List.of("s3-r1-q0-a1"), AT, false);

    assertThat(ProviderJobsText.line(onBeta))
        .isEqualTo("batch_b in_progress, 4/10 requests done, 1 failed, submitted 2026-03-01T10:15:30Z, model beta");
    assertThat(ProviderJobsText.line(onTheOne))
        .isEqualTo("batch_c in_progress, 4/10 requests done, 1 failed, submitted 2026-03-01T10:15:30Z");
  }
}
