package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Coverage;
import dev.cohort.core.batch.Design;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Extension;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SpeakingOrder;
import dev.cohort.core.batch.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The study design through the Java API: designs, constraints, speaking orders, coverage and extend. */
@Timeout(120)
class StudyDesignTest {
  private final List<Cohort> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Cohort::close);
  }

  private Cohort cohort() {
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create())
        .sleeper(d -> { }).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    List<Entity> entities = new ArrayList<>();
    String[] parties = {"Green", "Labour", "Liberal", "Conservative"};
    for (int i = 1; i <= 12; i++) {
      entities.add(new Entity("p" + i, "Person " + i, null, Map.of("party", parties[i % 4])));
    }
    cohort.saveEntities(entities);
    return cohort;
  }

  private static BatchRequest.Builder request(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      ids.add("p" + i);
    }
    return BatchRequest.builder().name("panel").context("A debate on housing").entityIds(ids).interactionSize(2)
        .numSimulations(n).seed(7L);
  }

  private static List<Simulation> simulations(Cohort cohort, String id) {
    List<Simulation> all = new ArrayList<>();
    cohort.forEachSimulation(id, all::add);
    return all;
  }

  @Test
  void aBalancedPilotWithAPartyConstraintGrowsIntoTheFullStudy() {
    Cohort cohort = cohort();
    Batch pilot = cohort.run(request(20).design(Design.balanced())
        .constraints(Constraints.of(List.of("party"), List.of())).speakingOrder(SpeakingOrder.ROTATE).build());
    assertThat(pilot.status()).isEqualTo(BatchStatus.COMPLETED);
    Coverage before = cohort.coverage(pilot.id());
    assertThat(before.simulations()).isEqualTo(20);
    assertThat(before.composition().get("party")).allSatisfy((mix, count) -> {
      String[] members = mix.split(" \\+ ");
      assertThat(members[0]).isNotEqualTo(members[1]);
    });

    cohort.extend(pilot.id(), 34);
    Batch grown = cohort.await(pilot.id());
    assertThat(grown.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(grown.plannedSimulations()).isEqualTo(54);
    assertThat(grown.request().extensions()).containsExactly(new Extension(34, 34, 21));
    List<Simulation> all = simulations(cohort, pilot.id());
    assertThat(all).extracting(Simulation::sequenceNumber).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(1, 54).boxed().toList());
    Set<Set<String>> groups = new HashSet<>();
    all.forEach(s -> groups.add(Set.copyOf(s.entityIds())));
    assertThat(groups).hasSize(54);
    // 12 entities, 4 parties of 3: 54 = C(12,2) - 4·C(3,2) feasible pairs, all of them now.
    Coverage after = cohort.coverage(pilot.id());
    assertThat(after.appearances().range()).isZero();
    assertThat(after.entities()).allSatisfy(e -> assertThat(e.appearances()).isEqualTo(9));
    assertThatThrownBy(() -> cohort.extend(pilot.id(), 1)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("no new group is left");
  }

  /** README, "Designing a study": the Java form of the worked example, on examples/panel.json's pool. */
  @Test
  void theReadmeWorkedExampleGrowsABalancedPilotTo200() {
    Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create())
        .sleeper(d -> { }).pollInterval(Duration.ofMillis(20)).build();
    opened.add(cohort);
    String[] parties = {"Green", "Labour", "Liberal", "Conservative"};
    List<Entity> voters = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      voters.add(new Entity(String.format("voter-%02d", i + 1), "Voter " + (i + 1), null,
          Map.of("party", parties[i % 4])));
    }
    cohort.saveEntities(voters);
    List<String> voterIds = voters.stream().map(Entity::id).toList();

    Batch pilot = cohort.run(BatchRequest.builder().name("Wind farm pilot")
        .context("A town-hall debate on a new wind farm").entityIds(voterIds).interactionSize(2)
        .numSimulations(20).nTurns(4).seed(2026L)
        .design(Design.balanced())
        .constraints(Constraints.of(List.of("party"), List.of()))
        .speakingOrder(SpeakingOrder.ROTATE)
        .build());
    Coverage pilotCoverage = cohort.coverage(pilot.id());
    cohort.extend(pilot.id(), 180);
    Batch study = cohort.await(pilot.id());
    Coverage studyCoverage = cohort.coverage(study.id());

    assertThat(pilotCoverage.simulations()).isEqualTo(20);
    assertThat(study.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(studyCoverage.simulations()).isEqualTo(200);
    assertThat(studyCoverage.appearances().min()).isEqualTo(16);
    assertThat(studyCoverage.appearances().max()).isEqualTo(17);
    assertThat(studyCoverage.pairs().max()).isEqualTo(1);
    assertThat(studyCoverage.composition().get("party").keySet()).allSatisfy(mix -> {
      String[] members = mix.split(" \\+ ");
      assertThat(members[0]).isNotEqualTo(members[1]);
    });
  }

  @Test
  void aRandomBatchExtendedHasTheGroupsOfTheLargerBatch() {
    Cohort cohort = cohort();
    Batch small = cohort.run(request(5).build());
    cohort.extend(small.id(), 6);
    cohort.await(small.id());
    Batch large = cohort.run(request(11).build());
    assertThat(simulations(cohort, small.id())).extracting(Simulation::entityIds)
        .containsExactlyElementsOf(simulations(cohort, large.id()).stream().map(Simulation::entityIds).toList());
  }

  @Test
  void explicitGroupsRunAsGivenWithTheirFixedOrder() {
    Cohort cohort = cohort();
    Batch batch = cohort.run(request(0).design(Design.explicit(List.of(List.of("p3", "p1"), List.of("p2", "p4"))))
        .speakingOrder(SpeakingOrder.FIXED).replicates(2).build());
    assertThat(batch.plannedSimulations()).isEqualTo(4);
    assertThat(simulations(cohort, batch.id())).extracting(Simulation::speakingOrder)
        .containsExactly(List.of("p3", "p1"), List.of("p3", "p1"), List.of("p2", "p4"), List.of("p2", "p4"));
    assertThatThrownBy(() -> cohort.extend(batch.id(), 2)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("explicit design cannot grow");
  }

  @Test
  void rotateOpensWithEachMemberOfAGroupEquallyOftenAcrossReplicates() {
    Cohort cohort = cohort();
    Batch batch = cohort.run(request(3).speakingOrder(SpeakingOrder.ROTATE).replicates(4).build());
    Coverage coverage = cohort.coverage(batch.id());
    List<Simulation> all = simulations(cohort, batch.id());
    for (int g = 0; g < 3; g++) {
      Map<String, Long> firsts = new java.util.HashMap<>();
      all.subList(g * 4, g * 4 + 4).forEach(s -> firsts.merge(s.speakingOrder().get(0), 1L, Long::sum));
      assertThat(firsts.values()).containsExactly(2L, 2L);
    }
    assertThat(coverage.entities().stream().mapToLong(Coverage.EntityCoverage::spokeFirst).sum()).isEqualTo(12);
  }

  @Test
  void impossibleConstraintsAreAValidationErrorThatSaysWhy() {
    Cohort cohort = cohort();
    BatchRequest request = request(5).interactionSize(5).constraints(Constraints.of(List.of("party"), List.of())).build();
    assertThatThrownBy(() -> cohort.createBatch(request)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("constraints: no group of 5 entities").hasMessageContaining("4 distinct values of party");
    BatchRequest moderator = request(5).constraints(Constraints.of(List.of(),
        List.of(Requirement.between("role", "moderator", 1, 1)))).build();
    assertThatThrownBy(() -> cohort.planCoverage(moderator, null)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("0 entities have role=moderator");
  }

  @Test
  void planCoverageMeasuresARequestWithoutStoringIt() {
    Cohort cohort = cohort();
    Coverage coverage = cohort.planCoverage(request(30).design(Design.balanced()).build(), List.of("party"));
    assertThat(coverage.simulations()).isEqualTo(30);
    assertThat(coverage.appearances().min()).isEqualTo(5);
    assertThat(coverage.appearances().max()).isEqualTo(5);
    assertThat(coverage.composition()).containsKey("party");
    assertThat(cohort.listBatches(false)).isEmpty();
    assertThat(cohort.availableGroups(request(30).build())).isEqualTo(java.math.BigInteger.valueOf(66));
    assertThat(cohort.availableGroups(request(30).constraints(Constraints.of(List.of("party"), List.of())).build()))
        .isEqualTo(java.math.BigInteger.valueOf(54));
  }
}
