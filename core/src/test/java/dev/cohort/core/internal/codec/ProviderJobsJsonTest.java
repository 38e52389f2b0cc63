package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.ProviderJob;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderJobsJsonTest {
  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

  @Test
  void eachCurrentJobNamesTheModelWhoseProviderRunsItAndAppliedJobsAreLeftOut() throws IOException {
    List<ProviderJob> jobs = List.of(
        new ProviderJob("b1", "batch_a", BatchJobState.IN_PROGRESS, "file-a", null, null, 10, 4, 1,
            List.of("s1-r1-q0-a1"), AT, false, "alpha"),
        new ProviderJob("b1", "batch_b", BatchJobState.COMPLETED, "file-b", "file-o", null, 10, 10, 0,
            List.of("s2-r1-q0-a1"), AT, true, "beta"),
        new ProviderJob("b1", "batch_c", BatchJobState.VALIDATING, "file-c", null, null, 3, 0, 0,
            List.of("s3-r1-q0-a1"), AT.plusSeconds(1), false));

    JsonNode written = write(jobs).path("provider_jobs");

    assertThat(written).hasSize(2);
    assertThat(written.get(0).path("id").asText()).isEqualTo("batch_a");
    assertThat(written.get(0).path("model").asText()).isEqualTo("alpha");
    assertThat(written.get(0).path("request_counts").path("completed").asLong()).isEqualTo(4);
    assertThat(written.get(1).path("id").asText()).isEqualTo("batch_c");
    // A job of the instance's one model names none.
    assertThat(written.get(1).has("model")).isTrue();
    assertThat(written.get(1).path("model").isNull()).isTrue();
  }

  private static JsonNode write(List<ProviderJob> jobs) throws IOException {
    ObjectMapper json = new ObjectMapper();
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = json.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      ProviderJobsJson.writeField(gen, jobs);
      gen.writeEndObject();
    }
    return json.readTree(out.toString());
  }
}
