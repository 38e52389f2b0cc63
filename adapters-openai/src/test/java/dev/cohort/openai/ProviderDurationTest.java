package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderDurationTest {
  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({
    "6m0s, 360000", "1s, 1000", "12ms, 12", "1h2m3.5s, 3723500", "59.766s, 59766",
    "2m59.56s, 179560", "0s, 0", "20, 20000", "1.5, 1500", "250us, 0.25", "1500µs, 1.5",
    "'  8.64s ', 8640", "100ns, 0.0001"
  })
  void readsGoStyleDurations(String text, double millis) {
    assertThat(ProviderDuration.parse(text)).isEqualTo(Duration.ofNanos(Math.round(millis * 1_000_000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "5x", "m5", "1h 2m", "-1s", "1.2.3s"})
  void anythingElseIsNoDuration(String text) {
    assertThat(ProviderDuration.parse(text)).isNull();
  }
}
