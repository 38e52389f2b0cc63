package dev.cohort.core.port;

import dev.cohort.core.batch.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a {@link ResponseCache} is used for a model call. */
public enum CacheMode {
  /** The cache is neither read nor written: every call goes to the model. */
  OFF,
  /** A hit answers without a call; a miss calls the model and stores its answer. The default when a cache is set. */
  READ_WRITE,
  /** A hit answers without a call; a miss calls the model and stores nothing. */
  READ_ONLY,
  /**
   * Every answer must come from the cache: a miss fails the call ("not in the cache") and no model
   * call is ever made, so no API key or server is needed.
   */
  REPLAY;

  /** The name the command line and JSON use: {@code off}, {@code read-write}, {@code read-only}, {@code replay}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether hits are served. */
  public boolean reads() {
    return this != OFF;
  }

  /** Whether answers from the model are stored. */
  public boolean writes() {
    return this == READ_WRITE;
  }

  /**
   * The mode with this {@link #wireName() wire name}, ignoring case; {@code _} may stand for {@code -}.
   *
   * @throws ValidationException on the field {@code cache_mode} when no mode has that name
   */
  public static CacheMode fromWireName(String name) {
    String normalised = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (CacheMode mode : values()) {
      if (mode.wireName().equals(normalised)) {
        return mode;
      }
    }
    throw new ValidationException("cache_mode", "must be one of "
        + Arrays.stream(values()).map(CacheMode::wireName).collect(Collectors.joining(", ")) + ", was \"" + name + "\"");
  }
}
