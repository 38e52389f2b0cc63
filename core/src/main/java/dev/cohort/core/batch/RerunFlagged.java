package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The checks and the one stored form of a request's {@code rerun_flagged} set. */
final class RerunFlagged {
  private RerunFlagged() {}

  /** Adds an error for a null set, a null element, or a flag that cannot trigger a rerun. */
  static void check(@Nullable Collection<QualityFlag> flags, java.util.List<FieldError> errors) {
    if (flags == null) {
      errors.add(new FieldError("rerun_flagged", "must not be null; leave it out for none"));
      return;
    }
    for (QualityFlag flag : flags) {
      if (flag == null) {
        errors.add(new FieldError("rerun_flagged", "must not contain null"));
      } else if (flag == QualityFlag.DUPLICATE_TRANSCRIPT) {
        // Set by the end-of-batch pass, after every simulation finished: nothing is left to rerun then.
        errors.add(new FieldError("rerun_flagged", "cannot name duplicate_transcript: it is found only once"
            + " the whole batch has ended, when no simulation plays again"));
      }
    }
  }

  /** {@code flags} as an unmodifiable set in flag order; only called on checked flags. */
  static Set<QualityFlag> copy(@Nullable Collection<QualityFlag> flags) {
    if (flags == null || flags.isEmpty()) {
      return Set.of();
    }
    return Collections.unmodifiableSet(EnumSet.copyOf(flags));
  }
}
