package dev.cohort.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Deep, unmodifiable copies of JSON-shaped values (maps with string keys, lists, strings, finite
 * numbers, booleans, null), nested at most {@value #MAX_DEPTH} levels deep: anything else could
 * not be written as JSON, and a map that contains itself would never end.
 */
final class JsonValues {
  /** Most levels of maps and lists inside one another, the outer object included. */
  static final int MAX_DEPTH = 100;

  private JsonValues() {}

  /**
   * Copies a JSON object.
   *
   * @throws IllegalArgumentException naming the path of a value that is not JSON-shaped
   */
  static Map<String, @Nullable Object> copyObject(Map<String, ?> source, String path) {
    return copyMap(source, path, 1);
  }

  private static Map<String, @Nullable Object> copyMap(Map<?, ?> source, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + " is nested more than " + MAX_DEPTH
          + " levels deep (or contains itself)");
    }
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : source.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
      }
      copy.put(key, copyValue(e.getValue(), path + "." + key, depth));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable Object copyValue(@Nullable Object value, String path, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number number) {
      if ((number instanceof Double || number instanceof Float) && !Double.isFinite(number.doubleValue())) {
        throw new IllegalArgumentException(path + " is " + number + ", which JSON cannot hold");
      }
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map, path, depth + 1);
    }
    if (value instanceof List<?> list) {
      if (depth + 1 > MAX_DEPTH) {
        throw new IllegalArgumentException(path + " is nested more than " + MAX_DEPTH
            + " levels deep (or contains itself)");
      }
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copyValue(list.get(i), path + "[" + i + "]", depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getSimpleName() + ", not a JSON value");
  }
}
