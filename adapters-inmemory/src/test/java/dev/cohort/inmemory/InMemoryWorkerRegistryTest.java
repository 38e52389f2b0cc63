package dev.cohort.inmemory;

import dev.cohort.core.port.WorkerRegistry;
import dev.cohort.testkit.WorkerRegistryContractTest;

/** The worker-registry contract in memory. */
class InMemoryWorkerRegistryTest extends WorkerRegistryContractTest {
  @Override
  protected WorkerRegistry createRegistry() {
    return InMemoryWorkerRegistry.create();
  }
}
