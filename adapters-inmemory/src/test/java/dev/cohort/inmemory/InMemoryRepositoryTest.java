package dev.cohort.inmemory;

import dev.cohort.core.port.RepositoryPort;
import dev.cohort.testkit.RepositoryContractTest;

class InMemoryRepositoryTest extends RepositoryContractTest {
  @Override
  protected RepositoryPort createRepository() {
    return InMemoryRepository.create();
  }
}
