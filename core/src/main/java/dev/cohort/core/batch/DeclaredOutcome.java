package dev.cohort.core.batch;

import dev.cohort.core.batch.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One thing a study measures in every simulation, asked of the model once the dialogue is over:
 * "did they agree?" ({@link Type#BOOLEAN}), "tone from 1 to 5" ({@link Type#INTEGER} with {@code
 * min}/{@code max}), "each participant's final stance" ({@link Type#ENUM} {@link Per#PARTICIPANT}).
 * A batch declares them in {@link BatchRequest.Builder#outcomes(List)}; the JSON form is {@code
 * {"name", "type", "question", "min", "max", "values", "per"}}.
 *
 * <p>The record holds what was given; {@link BatchRequest.Builder#build()} checks the list (names
 * are identifiers, unique; ranges only on numbers; values only on enums) and names each bad field by
 * its path, such as {@code outcomes[1].values}.
 *
 * @param name an identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, at most {@value #MAX_NAME_LENGTH}
 *     characters): the key of the value in {@code outcomes} and the CSV column {@code outcome.NAME}
 * @param type what kind of value the answer is
 * @param question what the model is asked, in plain words
 * @param min the smallest allowed value of an integer or number outcome, or null for none
 * @param max the largest allowed value of an integer or number outcome, or null for none
 * @param values the allowed answers of an enum outcome; empty for every other type
 * @param per one value for the simulation, or one for each participant
 */
public record DeclaredOutcome(
    String name, Type type, String question, @Nullable Double min, @Nullable Double max, List<String> values,
    Per per) {
  /** Longest accepted outcome name, in characters. */
  public static final int MAX_NAME_LENGTH = 64;
  /** Longest accepted question, in characters. */
  public static final int MAX_QUESTION_LENGTH = 2_000;
  /** Most outcomes one batch may declare. */
  public static final int MAX_OUTCOMES = 50;
  /** Most values of one enum outcome. */
  public static final int MAX_VALUES = 100;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The kind of value an outcome takes. */
  public enum Type {
    /** true or false. */
    BOOLEAN,
    /** A whole number, within {@code min}/{@code max} when given. */
    INTEGER,
    /** A number, within {@code min}/{@code max} when given. */
    NUMBER,
    /** One of {@code values}. */
    ENUM,
    /** One of the simulation's participants, stored as its entity id. */
    ENTITY,
    /** Free text. */
    STRING;

    /** The lower-case name used in JSON and on the command line. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type with this wire name.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     */
    public static Type fromWireName(String name) {
      for (Type t : values()) {
        if (t.wireName().equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(Type::wireName)
          .collect(Collectors.joining(", ")) + ", was \"" + name + "\"");
    }
  }

  /** Whether an outcome has one value per simulation or one per participant. */
  public enum Per {
    /** One value for the whole simulation (the default). */
    SIMULATION,
    /** One value for each participant, keyed by entity id. */
    PARTICIPANT;

    /** The lower-case name used in JSON and on the command line. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The scope with this wire name.
     *
     * @throws IllegalArgumentException listing the known names when there is none
     */
    public static Per fromWireName(String name) {
      for (Per p : values()) {
        if (p.wireName().equals(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException("must be simulation or participant, was \"" + name + "\"");
    }
  }

  public DeclaredOutcome {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(per, "per");
    values = List.copyOf(values);
  }

  /** A yes/no outcome, one value per simulation. */
  public static DeclaredOutcome bool(String name, String question) {
    return new DeclaredOutcome(name, Type.BOOLEAN, question, null, null, List.of(), Per.SIMULATION);
  }

  /** A whole-number outcome from {@code min} to {@code max}, one value per simulation. */
  public static DeclaredOutcome integer(String name, String question, long min, long max) {
    return new DeclaredOutcome(name, Type.INTEGER, question, (double) min, (double) max, List.of(), Per.SIMULATION);
  }

  /** A number outcome within optional bounds, one value per simulation. */
  public static DeclaredOutcome number(String name, String question, @Nullable Double min, @Nullable Double max) {
    return new DeclaredOutcome(name, Type.NUMBER, question, min, max, List.of(), Per.SIMULATION);
  }

  /** An outcome that is one of {@code values}, one value per simulation. */
  public static DeclaredOutcome oneOf(String name, String question, String... values) {
    return new DeclaredOutcome(name, Type.ENUM, question, null, null, List.of(values), Per.SIMULATION);
  }

  /** An outcome that names one of the simulation's participants, one value per simulation. */
  public static DeclaredOutcome entity(String name, String question) {
    return new DeclaredOutcome(name, Type.ENTITY, question, null, null, List.of(), Per.SIMULATION);
  }

  /** A free-text outcome, one value per simulation. */
  public static DeclaredOutcome text(String name, String question) {
    return new DeclaredOutcome(name, Type.STRING, question, null, null, List.of(), Per.SIMULATION);
  }

  /** This outcome asked once for each participant instead of once for the simulation. */
  public DeclaredOutcome perParticipant() {
    return new DeclaredOutcome(name, type, question, min, max, values, Per.PARTICIPANT);
  }

  /**
   * Checks a declaration list as {@link BatchRequest.Builder#build()} does.
   *
   * @param field how errors name the list, such as {@code outcomes}
   * @throws ValidationException naming every bad field by its path ({@code outcomes[2].name})
   */
  public static void validate(List<DeclaredOutcome> outcomes, String field) {
    List<FieldError> errors = new ArrayList<>();
    check(outcomes, field, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /**
   * Checks a declaration list, adding one error per problem, each named by its path under {@code
   * field} ({@code outcomes[2].name}).
   */
  static void check(@Nullable List<DeclaredOutcome> outcomes, String field, List<FieldError> errors) {
    if (outcomes == null) {
      errors.add(new FieldError(field, "must not be null; leave it out for none"));
      return;
    }
    if (outcomes.size() > MAX_OUTCOMES) {
      errors.add(new FieldError(field, "declares " + outcomes.size() + " outcomes; at most " + MAX_OUTCOMES
          + " are allowed"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < outcomes.size(); i++) {
      String path = field + "[" + i + "]";
      DeclaredOutcome o = outcomes.get(i);
      if (o == null) {
        errors.add(new FieldError(path, "must not be null"));
        continue;
      }
      if (!IDENTIFIER.matcher(o.name).matches() || o.name.length() > MAX_NAME_LENGTH) {
        errors.add(new FieldError(path + ".name", "must be an identifier (a letter or _, then letters, digits"
            + " or _) of at most " + MAX_NAME_LENGTH + " characters, was \"" + o.name + "\""));
      } else if (!names.add(o.name)) {
        errors.add(new FieldError(path + ".name", "\"" + o.name + "\" is declared more than once; names must be"
            + " unique"));
      }
      if (o.question.isBlank()) {
        errors.add(new FieldError(path + ".question", "is required and must not be blank"));
      } else if (o.question.length() > MAX_QUESTION_LENGTH) {
        errors.add(new FieldError(path + ".question", "is " + o.question.length() + " characters; at most "
            + MAX_QUESTION_LENGTH + " are allowed"));
      }
      checkRange(o, path, errors);
      checkValues(o, path, errors);
    }
  }

  private static void checkRange(DeclaredOutcome o, String path, List<FieldError> errors) {
    boolean numeric = o.type == Type.INTEGER || o.type == Type.NUMBER;
    for (String bound : List.of("min", "max")) {
      Double value = bound.equals("min") ? o.min : o.max;
      if (value == null) {
        continue;
      }
      if (!numeric) {
        errors.add(new FieldError(path + "." + bound, "applies only to integer and number outcomes, not "
            + o.type.wireName()));
      } else if (!Double.isFinite(value)) {
        errors.add(new FieldError(path + "." + bound, "must be a finite number, was " + value));
      } else if (o.type == Type.INTEGER && (value != Math.rint(value) || Math.abs(value) > 1e15)) {
        errors.add(new FieldError(path + "." + bound, "must be a whole number for an integer outcome, was "
            + value));
      }
    }
    if (numeric && o.min != null && o.max != null && o.min > o.max) {
      errors.add(new FieldError(path + ".max", "is " + o.max + ", less than min " + o.min));
    }
  }

  private static void checkValues(DeclaredOutcome o, String path, List<FieldError> errors) {
    if (o.type != Type.ENUM) {
      if (!o.values.isEmpty()) {
        errors.add(new FieldError(path + ".values", "applies only to enum outcomes, not " + o.type.wireName()));
      }
      return;
    }
    if (o.values.isEmpty()) {
      errors.add(new FieldError(path + ".values", "must list at least one value for an enum outcome"));
      return;
    }
    if (o.values.size() > MAX_VALUES) {
      errors.add(new FieldError(path + ".values", "lists " + o.values.size() + " values; at most " + MAX_VALUES
          + " are allowed"));
    }
    Set<String> seen = new HashSet<>();
    List<String> repeated = new ArrayList<>();
    for (int j = 0; j < o.values.size(); j++) {
      String v = o.values.get(j);
      if (v == null || v.isBlank()) {
        errors.add(new FieldError(path + ".values[" + j + "]", "must not be blank"));
      } else if (!seen.add(v)) {
        repeated.add(v);
      }
    }
    if (!repeated.isEmpty()) {
      errors.add(new FieldError(path + ".values", "lists " + String.join(", ", repeated)
          + " more than once; each value may appear once"));
    }
  }
}
