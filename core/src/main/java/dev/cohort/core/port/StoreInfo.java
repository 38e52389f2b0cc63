package dev.cohort.core.port;

import java.util.Objects;

/**
 * What kind of store holds the batches, for provenance manifests.
 *
 * @param kind {@code sqlite}, {@code postgresql}, {@code h2}, {@code memory}, or {@code unknown}
 * @param schemaVersion the store's schema version, 0 when it has none
 */
public record StoreInfo(String kind, int schemaVersion) {
  /** What a store that does not say reports. */
  public static final StoreInfo UNKNOWN = new StoreInfo("unknown", 0);

  public StoreInfo {
    Objects.requireNonNull(kind, "kind");
  }
}
