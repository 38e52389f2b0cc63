package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiChatModel}'s job metadata and its lookup of a job by metadata ({@code GET
 * /v1/batches}, paged newest first) against the fake Batch API: how a restarted coordinator finds
 * a job its stopped predecessor submitted but did not store.
 */
class BatchJobLookupTest {
  private static final Instant T0 = Instant.parse("2026-11-30T20:00:00Z");

  private FakeOpenAiServer server;
  private OpenAiChatModel model;

  @BeforeEach
  void start() throws IOException {
    server = FakeOpenAiServer.start();
    server.otherwise(r -> Reply.ok("answer"));
    server.stampBatchJobsWith(Clock.fixed(T0, ZoneOffset.UTC));
    model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333").build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<BatchJobRequest> oneRequest() {
    return List.of(new BatchJobRequest("req-1", ChatRequest.builder().message(ChatMessage.user("question")).build()));
  }

  private BatchJob submitTagged(String submission) {
    return model.submit(oneRequest(), Map.of("cohort_submission", submission, "cohort_batch", "b1"));
  }

  private List<Recorded> listCalls() {
    return server.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/batches"))
        .toList();
  }

  @Test
  void theJobCarriesTheCallersMetadataBesideCohortsOwn() {
    submitTagged("key-1");

    Recorded create = server.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/v1/batches")).findFirst().orElseThrow();
    Map<String, String> sent = new HashMap<>();
    create.json().path("metadata").properties().forEach(e -> sent.put(e.getKey(), e.getValue().asText()));
    assertThat(sent).containsExactlyInAnyOrderEntriesOf(
        Map.of("created_by", "cohort", "cohort_submission", "key-1", "cohort_batch", "b1"));
  }

  @Test
  void anOldJobIsFoundOnALaterPageFollowingHasMoreAndTheLastId() {
    BatchJob wanted = submitTagged("wanted");
    for (int i = 0; i < 130; i++) {
      submitTagged("other-" + i);
    }

    Optional<BatchJob> found = model.findJob("cohort_submission", "wanted", T0.minusSeconds(60));

    assertThat(found).map(BatchJob::id).contains(wanted.id());
    assertThat(found.get().inputFileId()).isEqualTo(wanted.inputFileId());
    assertThat(found.get().state()).as("a list does not move a job").isEqualTo(wanted.state());
    List<Recorded> lists = listCalls();
    assertThat(lists).hasSize(2);
    assertThat(lists.get(0).query()).isEqualTo("limit=100");
    // The first page holds the 100 newest jobs: other-129 down to other-30; the next starts after it.
    BatchJob last = model.findJob("cohort_submission", "other-30", T0.minusSeconds(60)).orElseThrow();
    assertThat(lists.get(1).query()).isEqualTo("limit=100&after=" + last.id());
  }

  @Test
  void aJobNobodySubmittedIsNotFoundAfterTheLastPage() {
    for (int i = 0; i < 101; i++) {
      submitTagged("other-" + i);
    }

    assertThat(model.findJob("cohort_submission", "never-sent", T0.minusSeconds(60))).isEmpty();
    assertThat(listCalls()).as("both pages read, then has_more was false").hasSize(2);
  }

  @Test
  void theLookupStopsAtTheFirstJobOlderThanAskedAndReadsNoFurtherPage() {
    for (int i = 0; i < 150; i++) {
      submitTagged("old-" + i);
    }
    server.stampBatchJobsWith(Clock.fixed(T0.plusSeconds(3_600), ZoneOffset.UTC));
    for (int i = 0; i < 3; i++) {
      submitTagged("new-" + i);
    }

    // old-0 exists, but was created before the cut-off: never read.
    assertThat(model.findJob("cohort_submission", "old-0", T0.plusSeconds(1_800))).isEmpty();
    assertThat(listCalls()).as("the first page reached an older job").hasSize(1);
    assertThat(model.findJob("cohort_submission", "new-0", T0.plusSeconds(1_800))).isPresent();
    assertThat(model.findJob("cohort_submission", "old-0", T0)).as("at the cut-off itself").isPresent();
  }

  @Test
  void aFoundJobIsReadLikeAnyOtherAndItsAnswersAreReachable() {
    BatchJob wanted = submitTagged("wanted");
    BatchJob now = wanted;
    for (int i = 0; i < 10 && !now.state().isTerminal(); i++) {
      now = model.job(now.id());
    }

    BatchJob found = model.findJob("cohort_submission", "wanted", T0).orElseThrow();

    assertThat(found.state()).isEqualTo(now.state());
    assertThat(found.outputFileId()).isEqualTo(now.outputFileId());
    assertThat(model.results(found)).extracting(BatchJobResult::customId).containsExactly("req-1");
  }

  @Test
  void metadataTheProviderWouldRefuseIsRefusedBeforeAnyCall() {
    Map<String, String> tooMany = new HashMap<>();
    for (int i = 0; i < 16; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThatThrownBy(() -> model.submit(oneRequest(), tooMany)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata").hasMessageContaining("15");
    assertThatThrownBy(() -> model.submit(oneRequest(), Map.of("created_by", "me")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("created_by");
    assertThatThrownBy(() -> model.submit(oneRequest(), Map.of("k".repeat(65), "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    assertThatThrownBy(() -> model.submit(oneRequest(), Map.of("k", "v".repeat(513))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aPortThatCannotListJobsSaysSo() {
    BatchJobPort plain = new BatchJobPort() {
      @Override
      public BatchJob submit(List<BatchJobRequest> requests) {
        throw new AssertionError("not called");
      }

      @Override
      public BatchJob job(String jobId) {
        throw new AssertionError("not called");
      }

      @Override
      public List<BatchJobResult> results(BatchJob job) {
        throw new AssertionError("not called");
      }

      @Override
      public BatchJob cancel(String jobId) {
        throw new AssertionError("not called");
      }
    };

    assertThatThrownBy(() -> plain.findJob("cohort_submission", "k", T0))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("cannot list");
  }
}
