package dev.cohort.core.internal.call;

import dev.cohort.core.port.CallFatalLlmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@link ModelCaller} per model name, each with its own rate limiter and retry state, so a 429
 * from one provider never holds back another's calls; plus the caller of a simulation planned for
 * no name (a batch that does not name its models).
 */
public final class ModelCallers {
  private final ModelCaller fallback;
  private final Map<String, ModelCaller> byName;

  private ModelCallers(ModelCaller fallback, Map<String, ModelCaller> byName) {
    this.fallback = fallback;
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /** Only {@code caller}, for every call. */
  public static ModelCallers single(ModelCaller caller) {
    return new ModelCallers(Objects.requireNonNull(caller, "caller"), Map.of());
  }

  /**
   * @param fallback for calls of no named model
   * @param byName the caller of each model name
   */
  public static ModelCallers of(ModelCaller fallback, Map<String, ModelCaller> byName) {
    return new ModelCallers(Objects.requireNonNull(fallback, "fallback"), byName);
  }

  /** The names this routes. */
  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * The caller of {@code name}, or the fallback for null.
   *
   * @throws CallFatalLlmException when {@code name} is not known here (a batch made by a process
   *     with another registry): the simulation's call cannot succeed here
   */
  public ModelCaller forModel(@Nullable String name) {
    if (name == null) {
      return fallback;
    }
    ModelCaller caller = byName.get(name);
    if (caller == null) {
      throw new CallFatalLlmException("model '" + name + "' is not in this instance's model registry (it has: "
          + (byName.isEmpty() ? "no named models" : String.join(", ", byName.keySet()))
          + "); run the batch with a registry that names it");
    }
    return caller;
  }
}
