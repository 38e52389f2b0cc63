package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client sees when the server itself fails: a bare 500 before the answer starts, a cut connection after. */
class InternalFailureTest {
  static final String SECRET = "jdbc:postgresql://db.internal/cohort password=hunter2";
  static final int FAIL_AFTER = 100;

  static Cohort cohort;
  static CohortServer server;
  static ApiClient api;
  static String batchId;

  @BeforeAll
  static void start() {
    RepositoryPort failing = failingRepository(InMemoryRepository.create());
    cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(failing).pollInterval(Duration.ofMillis(10)).build();
    for (int i = 1; i <= 20; i++) {
      cohort.saveEntity(Entity.of("e" + i, "Entity " + i, "A participant with a long description " + "x".repeat(200)));
    }
    server = CohortServer.builder(cohort).stopGrace(Duration.ZERO).build().start();
    api = new ApiClient(server.uri(), null);
    StringBuilder ids = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      ids.append(i == 1 ? "" : ", ").append("\"e").append(i).append('"');
    }
    ApiClient.Response created = api.post("/api/batch-simulations", """
        {"name": "Large", "context": "c", "entity_ids": [%s], "interaction_size": 2, "num_simulations": 150}
        """.formatted(ids));
    batchId = created.data().get("id").asText();
    cohort.await(batchId);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cohort.close();
  }

  /** Fails listing entities at once, and streaming simulations after {@value #FAIL_AFTER} of them. */
  static RepositoryPort failingRepository(RepositoryPort delegate) {
    return (RepositoryPort) Proxy.newProxyInstance(RepositoryPort.class.getClassLoader(),
        new Class<?>[] {RepositoryPort.class}, (proxy, method, args) -> {
          if (method.getName().equals("listEntities")) {
            throw new IllegalStateException("connection refused: " + SECRET);
          }
          if (method.getName().equals("forEachSimulation")) {
            @SuppressWarnings("unchecked")
            Consumer<Simulation> action = (Consumer<Simulation>) args[1];
            AtomicInteger seen = new AtomicInteger();
            args = new Object[] {args[0], (Consumer<Simulation>) simulation -> {
              if (seen.incrementAndGet() > FAIL_AFTER) {
                throw new IllegalStateException("lost the connection to " + SECRET);
              }
              action.accept(simulation);
            }};
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void anUnexpectedFailureIsABare500WithoutInternals() {
    ApiClient.Response response = api.get("/api/entities");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.message()).isEqualTo("the server could not handle this request; the reason is in its log");
    assertThat(response.body()).doesNotContain("hunter2", "jdbc", "IllegalStateException", "at dev.");
  }

  @Test
  void aFailureAfterTheAnswerStartedCutsTheConnectionInsteadOfEndingTheBody() {
    assertThatThrownBy(() -> api.get("/api/batch-simulations/" + batchId))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(api.get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void aFailingExportIsCutToo() {
    assertThatThrownBy(() -> api.download("/api/batch-simulations/" + batchId + "/export?format=jsonl"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(api.get("/api/health").status()).isEqualTo(200);
  }

  @Test
  void theSummaryWithoutSimulationsStillWorks() {
    ApiClient.Response response = api.get("/api/batch-simulations/" + batchId + "?include_simulations=false");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.data().get("counts").get("completed").asLong()).isEqualTo(150);
    assertThat(response.data().has("simulations")).isFalse();
  }
}
