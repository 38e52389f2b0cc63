package dev.cohort.inmemory;

import dev.cohort.core.port.ResponseCache;
import dev.cohort.testkit.ResponseCacheContractTest;

/** The response-cache contract against the in-memory cache. */
class InMemoryResponseCacheTest extends ResponseCacheContractTest {
  @Override
  protected ResponseCache createCache() {
    return InMemoryResponseCache.create();
  }
}
