package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
  @Test
  void toStringNeverShowsTheKey() {
    ApiKey key = ApiKey.of("sk-proj-abcdefghijklmnop");

    assertThat(key.toString()).isEqualTo("ApiKey[redacted]");
    assertThat(String.valueOf(key)).doesNotContain("abcdefghijklmnop");
  }

  @Test
  void scrubbingRemovesTheKeyAndAnythingShapedLikeAnOpenAiKey() {
    ApiKey key = ApiKey.of("azure0123456789abcdef");

    assertThat(key.scrub("header api-key: azure0123456789abcdef; also sk-other-1234****abcd here"))
        .isEqualTo("header api-key: [redacted]; also sk-[redacted] here");
  }

  @Test
  void blankKeysAndKeysWithLineBreaksAreRejected() {
    assertThatThrownBy(() -> ApiKey.of("  ")).isInstanceOf(ValidationException.class)
        .hasMessage("apiKey: must not be blank");
    assertThatThrownBy(() -> ApiKey.of("sk-abc\nX-Injected: 1")).isInstanceOf(ValidationException.class)
        .hasMessage("apiKey: must not contain a line break");
  }
}
