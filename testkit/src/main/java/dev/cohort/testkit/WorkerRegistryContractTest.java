package dev.cohort.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.port.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link WorkerRegistry} contract as tests. An adapter's test class extends this and returns a
 * fresh, empty registry from {@link #createRegistry()}; {@link #closeRegistry} disposes of it.
 */
public abstract class WorkerRegistryContractTest {
  private static final String KEY = "https://api.openai.com/v1 gpt-4o-mini";
  private static final Instant T0 = Instant.parse("2026-11-30T10:15:30.123Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(6);

  private WorkerRegistry registry;

  /** For subclasses. */
  protected WorkerRegistryContractTest() {}

  /** A fresh registry with no worker in it. */
  protected abstract WorkerRegistry createRegistry() throws Exception;

  /** Disposes of a registry made by {@link #createRegistry()}; default nothing. */
  protected void closeRegistry(WorkerRegistry registry) throws Exception {}

  @BeforeEach
  void create() throws Exception {
    registry = createRegistry();
  }

  @AfterEach
  void dispose() throws Exception {
    closeRegistry(registry);
  }

  @Test
  void aWorkerAloneCountsItself() {
    assertThat(registry.heartbeat(KEY, "a", T0, TIMEOUT)).isEqualTo(1);
  }

  @Test
  void everyLiveWorkerUnderTheKeyCountsOnce() {
    registry.heartbeat(KEY, "a", T0, TIMEOUT);
    registry.heartbeat(KEY, "b", T0.plusSeconds(1), TIMEOUT);
    registry.heartbeat(KEY, "a", T0.plusSeconds(2), TIMEOUT);

    assertThat(registry.heartbeat(KEY, "c", T0.plusSeconds(3), TIMEOUT)).isEqualTo(3);
    assertThat(registry.heartbeat(KEY, "a", T0.plusSeconds(4), TIMEOUT)).isEqualTo(3);
  }

  @Test
  void workersUnderAnotherKeyDoNotCount() {
    registry.heartbeat("http://localhost:8080/v1 llama3", "a", T0, TIMEOUT);

    assertThat(registry.heartbeat(KEY, "b", T0, TIMEOUT)).isEqualTo(1);
    assertThat(registry.heartbeat("http://localhost:8080/v1 llama3", "b", T0, TIMEOUT)).isEqualTo(2);
  }

  @Test
  void aWorkerWhoseHeartbeatIsOlderThanTheTimeoutStopsCounting() {
    registry.heartbeat(KEY, "killed", T0, TIMEOUT);
    registry.heartbeat(KEY, "b", T0, TIMEOUT);

    assertThat(registry.heartbeat(KEY, "b", T0.plus(TIMEOUT).minusMillis(1), TIMEOUT)).isEqualTo(2);
    assertThat(registry.heartbeat(KEY, "b", T0.plus(TIMEOUT), TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aWorkerThatStoppedCountingCountsAgainWithItsNextHeartbeat() {
    registry.heartbeat(KEY, "a", T0, TIMEOUT);
    registry.heartbeat(KEY, "b", T0.plusSeconds(10), TIMEOUT);

    assertThat(registry.heartbeat(KEY, "a", T0.plusSeconds(11), TIMEOUT)).isEqualTo(2);
  }

  @Test
  void aWorkerThatLeavesStopsCountingAtOnce() {
    registry.heartbeat(KEY, "a", T0, TIMEOUT);
    registry.heartbeat(KEY, "b", T0, TIMEOUT);

    registry.leave(KEY, "a");
    registry.leave(KEY, "a");
    registry.leave(KEY, "never-joined");

    assertThat(registry.heartbeat(KEY, "b", T0.plusMillis(1), TIMEOUT)).isEqualTo(1);
  }

  @Test
  void blankNamesAndANonPositiveTimeoutAreRefusedWithTheirName() {
    assertThatThrownBy(() -> registry.heartbeat(" ", "a", T0, TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limitKey");
    assertThatThrownBy(() -> registry.heartbeat(KEY, "", T0, TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workerId");
    assertThatThrownBy(() -> registry.heartbeat(KEY, "a", T0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> registry.leave(KEY, " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workerId");
  }
}
