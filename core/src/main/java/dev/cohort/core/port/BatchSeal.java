package dev.cohort.core.port;

import java.util.Objects;

/**
 * SHA-256 digests of what a batch was created from, recorded at creation so a later check can show
 * whether the stored request or entity snapshot changed since.
 *
 * @param requestSha256 of the stored request's canonical JSON
 * @param entitiesSha256 of the entity snapshot's canonical JSON
 */
public record BatchSeal(String requestSha256, String entitiesSha256) {
  public BatchSeal {
    Objects.requireNonNull(requestSha256, "requestSha256");
    Objects.requireNonNull(entitiesSha256, "entitiesSha256");
  }
}
