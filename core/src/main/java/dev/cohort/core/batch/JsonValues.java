package dev.cohort.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Deep, unmodifiable copies of JSON-shaped values (maps, lists, strings, numbers, booleans, null). */
final class JsonValues {
  private JsonValues() {}

  /**
   * Copies a JSON object.
   *
   * @throws IllegalArgumentException naming the path of a value that is not JSON-shaped
   */
  static Map<String, @Nullable Object> copyObject(Map<String, ?> source, String path) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    source.forEach((key, value) -> copy.put(key, copyValue(value, path + "." + key)));
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable Object copyValue(@Nullable Object value, String path) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a key that is not a string");
        }
        copy.put(key, copyValue(e.getValue(), path + "." + key));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copyValue(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getSimpleName() + ", not a JSON value");
  }
}
