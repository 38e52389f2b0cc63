package dev.cohort.core.batch;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Input was rejected. Carries every problem found, each naming the field and the reason, so a
 * caller can fix them all at once.
 */
public final class ValidationException extends CohortException {
  private static final long serialVersionUID = 1L;

  /** One rejected field: its name as the user spelt it (snake_case for request fields) and why. */
  public record FieldError(String field, String message) implements Serializable {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  // List.copyOf returns a serializable list of these serializable records; the compiler cannot know.
  @SuppressWarnings("serial")
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(render(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public ValidationException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  /** Every rejected field, in the order they were checked. */
  public List<FieldError> errors() {
    return errors;
  }

  private static String render(List<FieldError> errors) {
    return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
  }
}
