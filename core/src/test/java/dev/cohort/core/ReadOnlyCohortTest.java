package dev.cohort.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.internal.execution.FakeClock;
import dev.cohort.core.internal.execution.Fixtures;
import dev.cohort.core.internal.execution.MemoryStore;
import dev.cohort.core.internal.execution.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadOnlyCohortTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock);

  /** Ids of the live threads this library names (every thread it starts is {@code cohort-…}). */
  private static Set<Long> cohortThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cohort-"))
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  @Test
  void aCohortWithoutAModelReadsListsAndExportsWithoutStartingAThread() {
    String id = Fixtures.plantBatch(store, clock, "b1", 2);
    Set<Long> before = cohortThreads();

    try (Cohort cohort = Cohort.builder().repository(store).clock(clock).build()) {
      assertThat(cohort.isReadOnly()).isTrue();
      assertThat(cohort.describeModel()).isEqualTo("none");
      assertThat(cohort.listBatches(false)).extracting(b -> b.id()).containsExactly(id);
      assertThat(cohort.getBatch(id, true).simulations()).hasSize(2);
      assertThat(cohort.listEntities()).hasSize(2);
      assertThat(cohort.findSimulation("b1-s1")).isPresent();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      cohort.export(id, ExportFormat.JSONL, out);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("b1-s1").contains("b1-s2");
      assertThat(cohort.await(id, Duration.ZERO).status()).isEqualTo(BatchStatus.PENDING);

      // Threads of earlier tests may still be ending meanwhile: the claim is only that none is new.
      assertThat(cohortThreads()).isSubsetOf(before);
    }
  }

  @Test
  void aCohortWithoutAModelRefusesToRunNamingTheMissingModel() {
    String id = Fixtures.plantBatch(store, clock, "b1", 2);
    BatchRequest request = BatchRequest.builder().name("n").context("c").entityIds("e1", "e2")
        .interactionSize(1).numSimulations(2).nTurns(1).build();

    try (Cohort cohort = Cohort.builder().repository(store).build()) {
      assertThatThrownBy(() -> cohort.createBatch(request)).isInstanceOf(CohortException.class)
          .hasMessageContaining("without llm(...)").hasMessageContaining("create a batch");
      assertThatThrownBy(() -> cohort.run(request)).isInstanceOf(CohortException.class)
          .hasMessageContaining("without llm(...)");
      assertThatThrownBy(() -> cohort.resume(id)).isInstanceOf(CohortException.class)
          .hasMessageContaining("without llm(...)");
      assertThatThrownBy(cohort::resumeUnfinished).isInstanceOf(CohortException.class)
          .hasMessageContaining("without llm(...)");
      assertThat(store.listBatches(0, 10)).as("nothing was created").hasSize(1);

      // Cancelling and deleting need no model.
      assertThat(cohort.cancel(id).status()).isEqualTo(BatchStatus.CANCELLED);
      assertThat(cohort.deleteBatch(id)).isTrue();
    }
  }

  @Test
  void resumeOnStartWithoutAModelIsRefusedWhenBuilding() {
    assertThatThrownBy(() -> Cohort.builder().repository(store).resumeOnStart(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("resumeOnStart needs llm");
  }

  @Test
  void aCohortWithAModelStartsItsThreadsOnlyWhenItFirstRunsABatch() {
    store.saveEntities(Fixtures.entities(2));
    AtomicInteger submitted = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool();
    Executor counting = task -> {
      submitted.incrementAndGet();
      pool.execute(task);
    };
    Set<Long> before = cohortThreads();
    try (Cohort cohort = Cohort.builder().llm(new ScriptedModel()).repository(store).executor(counting)
        .pollInterval(Duration.ofMillis(5)).build()) {
      cohort.listBatches(false);
      assertThat(cohortThreads()).as("building and reading start nothing").isSubsetOf(before);
      assertThat(submitted).hasValue(0);

      var batch = cohort.run(BatchRequest.builder().name("n").context("A quiet library").entityIds("e1", "e2")
          .interactionSize(1).numSimulations(2).nTurns(1).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(submitted).hasValue(2);
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> !before.contains(t.getId()) && t.getName().startsWith("cohort-heartbeat"))
          .as("the first run started this instance's heartbeat").hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
