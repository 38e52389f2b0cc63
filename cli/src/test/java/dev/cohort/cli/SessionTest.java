package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-only session the read-only commands use: no model, no thread. */
class SessionTest {
  @TempDir
  Path dir;

  private static Set<Long> cohortThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cohort-"))
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  @Test
  void aStoreSessionHasNoModelAndStartsNoThread() {
    StoreOptions store = new StoreOptions();
    store.db = dir.resolve("cohort.db").toString();
    Set<Long> before = cohortThreads();

    try (Session session = Session.forStore(store)) {
      assertThat(session.cohort().isReadOnly()).isTrue();
      assertThat(session.cohort().listBatches(false)).isEmpty();
      assertThat(session.cohort().listEntities()).isEmpty();
      assertThat(session.modelNotice()).contains("none");
      // Threads of earlier tests may still be ending meanwhile: the claim is only that none is new.
      assertThat(cohortThreads()).isSubsetOf(before);
    }
  }
}
