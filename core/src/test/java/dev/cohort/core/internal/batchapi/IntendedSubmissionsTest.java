package dev.cohort.core.internal.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.port.BatchJob;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.BatchJobRequest;
import dev.cohort.core.port.BatchJobResult;
import dev.cohort.core.port.BatchJobState;
import dev.cohort.core.port.BatchStore;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.SubmissionIntent;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link IntendedSubmissions}: the intent is stored before the job is submitted, the job carries
 * its key, and a left intent is resolved by what the store and the provider know.
 */
class IntendedSubmissionsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The intents and jobs of a store: only what {@link IntendedSubmissions} uses, the rest refused. */
  private final Map<String, SubmissionIntent> intents = new LinkedHashMap<>();
  private final Map<String, ProviderJob> jobs = new LinkedHashMap<>();
  private final BatchStore store = (BatchStore) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {BatchStore.class}, (proxy, method, args) -> switch (method.getName()) {
        case "saveSubmissionIntent" -> {
          SubmissionIntent i = (SubmissionIntent) args[0];
          intents.put(i.key(), i);
          yield null;
        }
        case "findSubmissionIntents" -> List.copyOf(intents.values());
        case "deleteSubmissionIntent" -> {
          intents.remove(((SubmissionIntent) args[0]).key());
          yield null;
        }
        case "saveProviderJob" -> {
          ProviderJob j = (ProviderJob) args[0];
          jobs.put(j.jobId(), j);
          yield null;
        }
        case "findProviderJobs" -> List.copyOf(jobs.values());
        default -> throw new AssertionError("not used: " + method.getName());
      });

  /** A provider that keeps each submitted job's metadata and finds jobs by it. */
  private class Provider implements LlmPort, BatchJobPort {
    final Map<String, Map<String, String>> metadata = new HashMap<>();
    final List<Instant> lookedBackTo = new ArrayList<>();
    @Nullable RuntimeException lookupFailure;
    boolean canList = true;
    int submissions;

    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new AssertionError("not used: a batch job provider");
    }

    @Override
    public BatchJob submit(List<BatchJobRequest> requests) {
      throw new AssertionError("submitted without metadata");
    }

    @Override
    public BatchJob submit(List<BatchJobRequest> requests, Map<String, String> tags) {
      // The intent is stored before the provider hears of the job.
      assertThat(intents.values()).extracting(SubmissionIntent::key).contains(tags.get("cohort_submission"));
      submissions++;
      BatchJob job = runningJob("batch_" + submissions, requests.size());
      metadata.put(job.id(), Map.copyOf(tags));
      return job;
    }

    @Override
    public Optional<BatchJob> findJob(String key, String value, Instant createdNotBefore) {
      if (!canList) {
        return BatchJobPort.super.findJob(key, value, createdNotBefore);
      }
      lookedBackTo.add(createdNotBefore);
      if (lookupFailure != null) {
        throw lookupFailure;
      }
      return metadata.entrySet().stream().filter(e -> value.equals(e.getValue().get(key)))
          .map(e -> runningJob(e.getKey(), 1)).findFirst();
    }

    @Override
    public BatchJob job(String jobId) {
      throw new AssertionError("not used");
    }

    @Override
    public List<BatchJobResult> results(BatchJob job) {
      throw new AssertionError("not used");
    }

    @Override
    public BatchJob cancel(String jobId) {
      throw new AssertionError("not used");
    }
  }

  private static BatchJob runningJob(String id, long total) {
    return new BatchJob(id, BatchJobState.IN_PROGRESS, "file-" + id, null, null, total, 0, 0, NOW, null);
  }

  private static List<BatchJobRequest> requests(String... ids) {
    List<BatchJobRequest> requests = new ArrayList<>();
    for (String id : ids) {
      requests.add(new BatchJobRequest(id, ChatRequest.builder().message(ChatMessage.user("q " + id)).build()));
    }
    return requests;
  }

  /** An intent left by a process that stopped after storing it (and perhaps after submitting). */
  private SubmissionIntent leftIntent(String key, String... customIds) {
    SubmissionIntent intent = new SubmissionIntent("b1", key, List.of(customIds), NOW.minusSeconds(30));
    intents.put(key, intent);
    return intent;
  }

  @Test
  void aSubmissionStoresItsIntentFirstSendsItsKeyAndClearsItOnceTheJobIsStored() {
    Provider provider = new Provider();

    ProviderJob stored = new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).submit("b1", provider, null, requests("s1-r1-q0-a1",
        "s2-r1-q0-a1"));

    assertThat(stored.customIds()).containsExactly("s1-r1-q0-a1", "s2-r1-q0-a1");
    assertThat(jobs.values()).containsExactly(stored);
    assertThat(intents).isEmpty();
    assertThat(provider.metadata.get(stored.jobId())).containsEntry("cohort_batch", "b1")
        .containsKey("cohort_submission");
  }

  @Test
  void aSubmissionThatFailsKeepsItsIntentForTheNextRunToLookUp() {
    Provider provider = new Provider() {
      @Override
      public BatchJob submit(List<BatchJobRequest> requests, Map<String, String> tags) {
        throw new RetryableLlmException("timed out");
      }
    };

    assertThatThrownBy(() -> new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).submit("b1", provider, null, requests("s1-r1-q0-a1")))
        .isInstanceOf(RetryableLlmException.class);

    assertThat(intents.values()).singleElement().satisfies(i -> {
      assertThat(i.customIds()).containsExactly("s1-r1-q0-a1");
      assertThat(i.createdAt()).isEqualTo(NOW);
    });
    assertThat(jobs).isEmpty();
  }

  @Test
  void aLeftIntentWhoseJobTheProviderHasIsAdoptedAsSubmittedAtTheIntentsTime() {
    Provider provider = new Provider();
    SubmissionIntent intent = leftIntent("key-1", "s1-r1-q0-a1", "s2-r1-q0-a1");
    provider.metadata.put("batch_77", Map.of("cohort_submission", "key-1"));
    provider.metadata.put("batch_78", Map.of("cohort_submission", "key-2"));

    new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).recover("b1");

    assertThat(jobs.values()).singleElement().satisfies(j -> {
      assertThat(j.jobId()).isEqualTo("batch_77");
      assertThat(j.customIds()).isEqualTo(intent.customIds());
      assertThat(j.submittedAt()).isEqualTo(intent.createdAt());
      assertThat(j.applied()).isFalse();
    });
    assertThat(intents).isEmpty();
    assertThat(provider.lookedBackTo).containsExactly(intent.createdAt().minus(IntendedSubmissions.CLOCK_SKEW));
    assertThat(provider.submissions).isZero();
  }

  @Test
  void aLeftIntentTheProviderHasNoJobForIsDroppedSoItsRequestsAreSubmittedAnew() {
    Provider provider = new Provider();
    leftIntent("key-1", "s1-r1-q0-a1");

    new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).recover("b1");

    assertThat(intents).isEmpty();
    assertThat(jobs).isEmpty();
    assertThat(provider.lookedBackTo).hasSize(1);
  }

  @Test
  void aLeftIntentWhoseJobIsStoredAlreadyIsClearedWithoutAskingTheProvider() {
    Provider provider = new Provider();
    leftIntent("key-1", "s1-r1-q0-a1", "s2-r1-q0-a1");
    ProviderJob stored = ProviderJob.submitted("b1", runningJob("batch_1", 2), List.of("s1-r1-q0-a1", "s2-r1-q0-a1"),
        NOW);
    jobs.put(stored.jobId(), stored);

    new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).recover("b1");

    assertThat(intents).isEmpty();
    assertThat(jobs.values()).containsExactly(stored);
    assertThat(provider.lookedBackTo).isEmpty();
  }

  @Test
  void aProviderThatCannotListJobsHasTheIntentDropped() {
    Provider provider = new Provider();
    provider.canList = false;
    leftIntent("key-1", "s1-r1-q0-a1");

    new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).recover("b1");

    assertThat(intents).isEmpty();
    assertThat(jobs).isEmpty();
  }

  @Test
  void aLookupThatFailsKeepsTheIntentAndStopsTheRun() {
    Provider provider = new Provider();
    provider.lookupFailure = new RetryableLlmException("provider unreachable");
    SubmissionIntent intent = leftIntent("key-1", "s1-r1-q0-a1");

    assertThatThrownBy(() -> new IntendedSubmissions(store, BatchJobPorts.of(provider, Map.of()), CLOCK).recover("b1"))
        .isInstanceOf(RetryableLlmException.class);

    assertThat(intents.values()).containsExactly(intent);
    assertThat(jobs).isEmpty();
  }
}
