package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's {@code rerun_flagged}: a set of flags, checked by {@code build()}. */
class RerunFlaggedTest {

  @Test
  void theFlagsAreKeptInFlagOrderWithoutRepeatsAndSurviveToBuilder() {
    BatchRequest request = BatchRequestTest.valid()
        .rerunFlagged(List.of(QualityFlag.REPETITION, QualityFlag.REFUSAL, QualityFlag.REPETITION)).build();

    assertThat(request.rerunFlagged()).containsExactly(QualityFlag.REFUSAL, QualityFlag.REPETITION);
    assertThat(request.toBuilder().build()).isEqualTo(request);
    assertThat(request.toBuilder().rerunFlagged(List.of()).build()).isNotEqualTo(request);
    assertThat(BatchRequestTest.valid().build().rerunFlagged()).isEmpty();
  }

  @Test
  void nullsAndTheEndOfBatchFlagAreRefusedNamingTheField() {
    List<QualityFlag> withNull = new ArrayList<>(Arrays.asList(QualityFlag.REFUSAL, null));

    assertThat(errors(BatchRequestTest.valid().rerunFlagged(withNull)))
        .containsExactly(new FieldError("rerun_flagged", "must not contain null"));
    assertThat(errors(BatchRequestTest.valid().rerunFlagged(null)))
        .containsExactly(new FieldError("rerun_flagged", "must not be null; leave it out for none"));
    assertThat(errors(BatchRequestTest.valid().rerunFlagged(List.of(QualityFlag.DUPLICATE_TRANSCRIPT))))
        .singleElement().satisfies(e -> assertThat(e.message()).startsWith("cannot name duplicate_transcript"));
  }

  private static List<FieldError> errors(BatchRequest.Builder builder) {
    return catchThrowableOfType(ValidationException.class, builder::build).errors();
  }
}
