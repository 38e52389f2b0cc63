package dev.cohort.cli;

import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.ValidationException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A flag, argument or input file the command cannot use. Reported as one line on standard error
 * with exit code {@link ExitCode#USAGE}.
 */
final class UsageException extends CohortException {
  private static final long serialVersionUID = 1L;

  /** A problem with {@code option} (such as {@code --context}), described by {@code message}. */
  UsageException(String option, String message) {
    super(option + ": " + message);
  }

  private UsageException(String message, ValidationException cause) {
    super(message, cause);
  }

  private UsageException(String message) {
    super(message);
  }

  /** A problem that names its subject itself, such as {@code file 'people.json' does not exist}. */
  static UsageException plain(String message) {
    return new UsageException(message);
  }

  /**
   * The validation errors of {@code e}, each field named as the command line spells it: {@code
   * flags} maps request fields (such as {@code n_turns}) to flags (such as {@code --n-turns}); other
   * fields keep their name.
   */
  static UsageException of(ValidationException e, Map<String, String> flags) {
    String message = e.errors().stream()
        .map(error -> flags.getOrDefault(error.field(), error.field()) + ": " + error.message())
        .collect(Collectors.joining("; "));
    return new UsageException(message, e);
  }
}
