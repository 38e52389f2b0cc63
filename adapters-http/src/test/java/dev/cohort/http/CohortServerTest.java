package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.Cohort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CohortServerTest {
  static Cohort cohort;

  @BeforeAll
  static void createCohort() {
    cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create()).build();
  }

  @AfterAll
  static void closeCohort() {
    cohort.close();
  }

  @Test
  void bindsLoopbackOnAnEphemeralPortByDefault() {
    try (CohortServer server = CohortServer.builder(cohort).stopGrace(Duration.ZERO).build().start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(new ApiClient(server.uri(), null).get("/api/health").status()).isEqualTo(200);
    }
  }

  @Test
  void refusesANonLoopbackAddressWithoutATokenUnlessInsecure() {
    assertThatThrownBy(() -> CohortServer.builder(cohort).bindAddress("0.0.0.0").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("binding 0.0.0.0 exposes the API beyond this machine: set a bearerToken, "
            + "or call insecure() to allow it without one");
    assertThat(CohortServer.builder(cohort).bindAddress("0.0.0.0").bearerToken("a-long-enough-token").build())
        .isNotNull();
    assertThat(CohortServer.builder(cohort).bindAddress("0.0.0.0").insecure().build()).isNotNull();
  }

  @Test
  void checksEverySettingAsItIsGiven() {
    CohortServer.Builder builder = CohortServer.builder(cohort);
    assertThatThrownBy(() -> builder.port(-1)).hasMessage("port must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> builder.port(65_536)).hasMessage("port must be between 0 and 65535, was 65536");
    assertThatThrownBy(() -> builder.bearerToken("short")).hasMessage("bearerToken must have at least 16 characters, had 5");
    assertThatThrownBy(() -> builder.bearerToken("with a space in it"))
        .hasMessage("bearerToken must hold visible ASCII characters only, without spaces");
    assertThatThrownBy(() -> builder.maxBodyBytes(10)).hasMessage("maxBodyBytes must be at least 1024, was 10");
    assertThatThrownBy(() -> builder.stopGrace(Duration.ofSeconds(-1))).hasMessage("stopGrace must not be negative, was PT-1S");
    assertThatThrownBy(() -> builder.bindAddress("no-such-host.invalid")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void portIsKnownOnlyWhileRunningAndAServerStartsOnce() {
    CohortServer server = CohortServer.builder(cohort).stopGrace(Duration.ZERO).build();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    server.start();
    int port = server.port();
    assertThatThrownBy(server::start).hasMessage("this server was already started; build a new one to serve again");
    server.stop();
    server.stop();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    assertThat(port).isPositive();
  }

  @Test
  void aTakenPortIsReportedWhenStarting() {
    try (CohortServer first = CohortServer.builder(cohort).stopGrace(Duration.ZERO).build().start()) {
      CohortServer second = CohortServer.builder(cohort).port(first.port()).build();
      assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void runsRequestsOnTheGivenExecutorAndLeavesItRunning() {
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      try (CohortServer server = CohortServer.builder(cohort).stopGrace(Duration.ZERO)
          .executor(task -> {
            tasks.incrementAndGet();
            pool.execute(task);
          }).build().start()) {
        new ApiClient(server.uri(), null).get("/api/health");
      }
      assertThat(tasks.get()).isPositive();
      assertThat(pool.isShutdown()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bodyLimitCanBeLowered() {
    try (CohortServer server = CohortServer.builder(cohort).stopGrace(Duration.ZERO).maxBodyBytes(1024).build().start()) {
      ApiClient api = new ApiClient(server.uri(), null);
      ApiClient.Response response = api.post("/api/entities", "{\"id\": \"a\", \"name\": \"" + "x".repeat(2000) + "\"}");
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.message()).isEqualTo("the request body is larger than the limit of 1024 bytes");
    }
  }

  @Test
  void defaultRequestThreadsAreVirtualWhereTheJdkHasThemElsePooled() throws Exception {
    ExecutorService threads = ServerThreads.create(2);
    try {
      Future<Thread> thread = threads.submit(Thread::currentThread);
      boolean virtualAvailable = Runtime.version().feature() >= 21;
      boolean virtual = (boolean) Thread.class.getMethod("isVirtual").invoke(thread.get());
      assertThat(virtual).isEqualTo(virtualAvailable);
      if (!virtualAvailable) {
        assertThat(thread.get().getName()).startsWith("cohort-http-");
      }
    } catch (NoSuchMethodException onJava17) {
      assertThat(Runtime.version().feature()).isLessThan(19);
      assertThat(threads.submit(() -> Thread.currentThread().getName()).get()).startsWith("cohort-http-");
    } finally {
      threads.shutdownNow();
    }
  }
}
