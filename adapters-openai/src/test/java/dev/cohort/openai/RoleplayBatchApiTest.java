package dev.cohort.openai;

import static dev.cohort.openai.BatchApiFixtures.people;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.RoleplayTurns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Role-play with execution {@code batch_api} end to end: a {@link Cohort} sends each turn number of
 * every simulation as one provider job to the fake Batch API.
 */
class RoleplayBatchApiTest {

  private FakeOpenAiServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeOpenAiServer.start();
    server.otherwise(RoleplayTurns::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fiftyRoleplaySimulationsThroughOneJobPerTurnEqualTheSameBatchRunDirectlyAtHalfTheCost() {
    BatchRequest request = request(12, 50);
    List<Simulation> direct = new ArrayList<>();
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people(12));
      Batch batch = cohort.run(request);
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      cohort.forEachSimulation(batch.id(), direct::add);
    }
    int directRequests = server.requests().size();

    InMemoryRepository store = InMemoryRepository.create();
    List<Simulation> viaJobs = new ArrayList<>();
    Batch batch;
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(12));
      batch = cohort.run(request.toBuilder().execution(Execution.BATCH_API).build());
      cohort.forEachSimulation(batch.id(), viaJobs::add);
    }

    assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(directRequests).isEqualTo(50 * 4);
    assertThat(viaJobs).hasSize(50);
    for (int i = 0; i < 50; i++) {
      Simulation d = direct.get(i);
      Simulation j = viaJobs.get(i);
      assertThat(j.entityIds()).isEqualTo(d.entityIds());
      assertThat(j.turns()).as("simulation %d", i + 1).hasSize(4).isEqualTo(d.turns());
      assertThat(j.usage()).isEqualTo(d.usage());
      assertThat(j.costUsd()).isCloseTo(d.costUsd() / 2, Offset.offset(1e-12));
    }
    // 2 rounds of 2 turns: one job per turn number, each holding that turn of all 50 simulations.
    List<ProviderJob> jobs = store.findProviderJobs(batch.id());
    assertThat(server.batchSubmissions()).isEqualTo(4);
    assertThat(jobs).hasSize(4).allSatisfy(job -> {
      assertThat(job.applied()).isTrue();
      assertThat(job.total()).isEqualTo(50);
    });
    assertThat(jobs.get(0).customIds()).startsWith("s1-r1-t1-q0-a1", "s2-r1-t1-q0-a1");
    assertThat(jobs.get(3).customIds()).startsWith("s1-r2-t4-q0-a1");
  }

  @Test
  void anUnusableRoleplayAnswerIsAskedAgainInTheNextJobAndItsSimulationFinishesOneJobLater() {
    // The fake answers a job's lines in input order, which is sequence order: the second is simulation 2's.
    AtomicInteger answered = new AtomicInteger();
    server.otherwise(call -> answered.incrementAndGet() == 2 ? Reply.ok("I would rather not.")
        : RoleplayTurns.answer(call));
    InMemoryRepository store = InMemoryRepository.create();
    try (Cohort cohort = cohort(store)) {
      cohort.saveEntities(people(12));
      Batch batch = cohort.run(request(12, 3).toBuilder().execution(Execution.BATCH_API).build());

      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
      assertThat(batch.counts().completed()).isEqualTo(3);
      List<ProviderJob> jobs = store.findProviderJobs(batch.id());
      // The re-ask rides with the others' second turn; simulation 2 stays a turn behind: 4 turns + 1 job.
      assertThat(jobs.get(1).customIds()).containsExactly("s1-r1-t2-q0-a1", "s2-r1-t1-q1-a1", "s3-r1-t2-q0-a1");
      assertThat(jobs).hasSize(5);
      assertThat(jobs.get(4).customIds()).containsExactly("s2-r2-t4-q0-a1");
      Simulation two = cohort.getBatch(batch.id(), true).simulations().get(1);
      assertThat(two.turns()).hasSize(4);
      assertThat(two.usage().calls()).isEqualTo(5);
    }
  }

  @Test
  void aPromptInABatchJobNeverHoldsAnotherParticipantsAttributesOrThoughts() {
    List<Recorded> lines = new CopyOnWriteArrayList<>();
    server.otherwise(call -> {
      lines.add(call);
      return RoleplayTurns.answer(call);
    });
    List<Entity> people = new ArrayList<>();
    for (Entity p : people(12)) {
      people.add(new Entity(p.id(), p.name(), p.description(), Map.of("secret", secret(p.name()))));
    }
    try (Cohort cohort = cohort(InMemoryRepository.create())) {
      cohort.saveEntities(people);
      Batch batch = cohort.run(request(12, 20).toBuilder().execution(Execution.BATCH_API)
          .visibility(Visibility.DESCRIPTIONS).build());
      assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
    }

    assertThat(lines).hasSize(20 * 4);
    int ownThoughtsShown = 0;
    for (Recorded line : lines) {
      String speaker = RoleplayTurns.speaker(line.json());
      String prompt = line.json().path("messages").toString();
      assertThat(prompt).as("prompt for %s", speaker).contains(secret(speaker));
      for (Entity other : people) {
        if (!other.name().equals(speaker)) {
          assertThat(prompt).as("prompt for %s", speaker)
              .doesNotContain(secret(other.name()))
              .doesNotContain(RoleplayTurns.thoughtMarker(other.name()));
        }
      }
      if (prompt.contains(RoleplayTurns.thoughtMarker(speaker))) {
        ownThoughtsShown++;
      }
    }
    // The thoughts are in the data: a speaker's later turns show its own earlier ones.
    assertThat(ownThoughtsShown).isPositive();
  }

  private static String secret(String name) {
    return "[attr of " + name + "]";
  }

  private OpenAiChatModel model() {
    return BatchApiFixtures.model(server);
  }

  private Cohort cohort(InMemoryRepository store) {
    return BatchApiFixtures.cohort(server, store, 16);
  }

  private static BatchRequest request(int pool, int simulations) {
    return BatchRequest.builder()
        .name("role-play batch api test")
        .context("A short exchange about the weather.")
        .entityIds(people(pool).stream().map(Entity::id).collect(Collectors.toList()))
        .interactionSize(3)
        .numSimulations(simulations)
        .nTurns(2)
        .simulationRounds(2)
        .mode(SimulationMode.ROLEPLAY)
        .seed(11L)
        .build();
  }
}
