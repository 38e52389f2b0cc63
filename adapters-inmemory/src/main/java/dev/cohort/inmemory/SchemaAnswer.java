package dev.cohort.inmemory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A value that fits a JSON Schema of the kind Cohort's outcome extraction sends (objects with
 * required properties, booleans, integers and numbers with optional bounds, strings with an optional
 * {@code enum}), drawn deterministically from a seed and each value's path: the simulated model's
 * answer to a structured-output request other than a dialogue round.
 */
final class SchemaAnswer {
  /** Bounds of an integer or number without its own. */
  private static final double DEFAULT_MIN = 1;
  private static final double DEFAULT_MAX = 5;

  private SchemaAnswer() {}

  static @Nullable Object of(Map<?, ?> schema, long seed) {
    return value(schema, seed, "$");
  }

  private static @Nullable Object value(Map<?, ?> schema, long seed, String path) {
    long draw = SeedMixer.mix(seed, SeedMixer.hash(path));
    Object type = schema.get("type");
    if ("object".equals(type) && schema.get("properties") instanceof Map<?, ?> properties) {
      Map<String, @Nullable Object> object = new LinkedHashMap<>();
      for (Map.Entry<?, ?> p : properties.entrySet()) {
        if (p.getValue() instanceof Map<?, ?> sub) {
          object.put(String.valueOf(p.getKey()), value(sub, seed, path + "." + p.getKey()));
        }
      }
      return object;
    }
    if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
      return values.get(SeedMixer.below(draw, 0, values.size()));
    }
    double min = schema.get("minimum") instanceof Number n ? n.doubleValue() : DEFAULT_MIN;
    double max = schema.get("maximum") instanceof Number n ? n.doubleValue() : Math.max(min, DEFAULT_MAX);
    if ("boolean".equals(type)) {
      return SeedMixer.below(draw, 0, 2) == 1;
    }
    if ("integer".equals(type)) {
      long low = (long) Math.ceil(min);
      long span = (long) Math.floor(max) - low + 1;
      return span <= 0 ? low : low + (long) (SeedMixer.unit(draw, 0) * span);
    }
    if ("number".equals(type)) {
      return Math.round((min + SeedMixer.unit(draw, 0) * (max - min)) * 100) / 100.0;
    }
    return "simulated answer";
  }
}
