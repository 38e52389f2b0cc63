package dev.cohort.inmemory;

import dev.cohort.core.port.LlmPort;
import dev.cohort.testkit.LlmContractTest;

/** {@link SimulatedLlm} keeps the {@link LlmPort} contract, its injected failures included. */
class SimulatedLlmContractTest extends LlmContractTest {
  @Override
  protected LlmPort answeringModel() {
    return SimulatedLlm.builder().seed(11).build();
  }

  @Override
  protected LlmPort failingModel(Failure failure) {
    SimulatedLlm.FailureKind kind = switch (failure) {
      case RETRYABLE -> SimulatedLlm.FailureKind.RETRYABLE;
      case RATE_LIMIT -> SimulatedLlm.FailureKind.RATE_LIMIT;
      case BATCH_FATAL -> SimulatedLlm.FailureKind.BATCH_FATAL;
      case CALL_FATAL -> SimulatedLlm.FailureKind.CALL_FATAL;
    };
    return SimulatedLlm.builder().seed(11).failureRate(1.0, kind).build();
  }

  @Override
  protected LlmPort slowModel() {
    return SimulatedLlm.builder().seed(11).latency(SLOW_CALL).build();
  }
}
