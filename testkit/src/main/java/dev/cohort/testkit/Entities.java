package dev.cohort.testkit;

import dev.cohort.core.batch.Entity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sample entities for tests: five named personas with descriptions and attributes, and any number
 * of generated ones. Ids sort in the order the entities are listed.
 */
public final class Entities {
  /** A retired nurse; attributes: occupation, age, traits. */
  public static final Entity ADA = entity("e1-ada", "Ada Okafor",
      "A retired nurse who volunteers at the community garden.",
      "occupation", "retired nurse", "age", 67, "traits", List.of("patient", "practical"));
  /** A software engineer; attributes: occupation, age, traits. */
  public static final Entity BORIS = entity("e2-boris", "Boris Lindqvist",
      "A software engineer who commutes by bike.",
      "occupation", "software engineer", "age", 34, "traits", List.of("sceptical", "curious"));
  /** A high-school student; attributes: occupation, age, traits. */
  public static final Entity CHIARA = entity("e3-chiara", "Chiara Rossi",
      "A high-school student and climate activist.",
      "occupation", "student", "age", 17, "traits", List.of("outspoken", "idealistic"));
  /** A farmer; attributes: occupation, age, traits. */
  public static final Entity DEVRAJ = entity("e4-devraj", "Devraj Menon",
      "Runs a family dairy farm and sits on the parish council.",
      "occupation", "farmer", "age", 52, "traits", List.of("pragmatic", "cautious"));
  /** A person with neither a description nor attributes. */
  public static final Entity EMIL = Entity.of("e5-emil", "Emil", null);

  private Entities() {}

  /** The five sample entities, ordered by id. */
  public static List<Entity> sample() {
    return List.of(ADA, BORIS, CHIARA, DEVRAJ, EMIL);
  }

  /**
   * {@code count} generated entities with ids {@code entity-0001}, {@code entity-0002}… (sorting
   * in this order), names {@code Person 1}, {@code Person 2}…, a description and an {@code index}
   * attribute.
   */
  public static List<Entity> generated(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    List<Entity> out = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      out.add(entity(String.format("entity-%04d", i), "Person " + i,
          "Generated test person number " + i + ".", "index", i));
    }
    return List.copyOf(out);
  }

  /** An entity with attributes given as alternating keys and values, kept in that order. */
  public static Entity entity(String id, String name, @Nullable String description, Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keysAndValues must alternate keys and values");
    }
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      attributes.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new Entity(id, name, description, attributes);
  }
}
