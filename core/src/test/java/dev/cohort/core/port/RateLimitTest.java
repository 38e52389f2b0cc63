package dev.cohort.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  void noneLimitsNothing() {
    assertThat(RateLimit.NONE.isUnlimited()).isTrue();
    assertThat(RateLimit.NONE.requestsPerMinute()).isEmpty();
    assertThat(RateLimit.NONE.tokensPerMinute()).isEmpty();
    assertThat(RateLimit.NONE.completionTokensEstimate())
        .isEqualTo(RateLimit.DEFAULT_COMPLETION_TOKENS_ESTIMATE);
  }

  @Test
  void factoriesSetOnlyWhatTheyName() {
    assertThat(RateLimit.ofRequestsPerMinute(500).requestsPerMinute()).isEqualTo(OptionalInt.of(500));
    assertThat(RateLimit.ofRequestsPerMinute(500).tokensPerMinute()).isEmpty();
    assertThat(RateLimit.ofTokensPerMinute(30_000).tokensPerMinute()).isEqualTo(OptionalLong.of(30_000));
    assertThat(RateLimit.ofTokensPerMinute(30_000).requestsPerMinute()).isEmpty();
    assertThat(RateLimit.of(500, 200_000))
        .isEqualTo(RateLimit.ofRequestsPerMinute(500).withTokensPerMinute(200_000))
        .hasSameHashCodeAs(RateLimit.ofTokensPerMinute(200_000).withRequestsPerMinute(500));
    assertThat(RateLimit.of(500, 200_000).isUnlimited()).isFalse();
  }

  @Test
  void withersLeaveTheOriginalUnchanged() {
    RateLimit original = RateLimit.ofRequestsPerMinute(60);

    RateLimit changed = original.withCompletionTokensEstimate(256).withTokensPerMinute(1_000);

    assertThat(original.tokensPerMinute()).isEmpty();
    assertThat(original.completionTokensEstimate()).isEqualTo(RateLimit.DEFAULT_COMPLETION_TOKENS_ESTIMATE);
    assertThat(changed.completionTokensEstimate()).isEqualTo(256);
    assertThat(changed.toString())
        .isEqualTo("RateLimit[requestsPerMinute=60, tokensPerMinute=1000, completionTokensEstimate=256]");
  }

  @Test
  void limitsBelowOneAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> RateLimit.ofRequestsPerMinute(0))
        .isInstanceOf(ValidationException.class)
        .hasMessage("requestsPerMinute: must be at least 1, was 0 (use RateLimit.NONE for no limit)");
    assertThatThrownBy(() -> RateLimit.of(10, -5))
        .isInstanceOf(ValidationException.class)
        .hasMessage("tokensPerMinute: must be at least 1, was -5 (use RateLimit.NONE for no limit)");
    assertThatThrownBy(() -> RateLimit.NONE.withCompletionTokensEstimate(0))
        .isInstanceOf(ValidationException.class)
        .hasMessage("completionTokensEstimate: must be at least 1, was 0");
  }
}
