package dev.cohort.core.internal.batchapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.internal.outcome.OutcomeAsk;
import org.junit.jupiter.api.Test;

class CustomIdTest {
  @Test
  void aScriptedRoundsIdKeepsTheFormStoredJobsAlreadyCarry() {
    CustomId id = new CustomId(12, 3, 0, 1, 2);

    assertThat(id.text()).isEqualTo("s12-r3-q1-a2");
    assertThat(CustomId.parse("s12-r3-q1-a2")).isEqualTo(id);
  }

  @Test
  void aRoleplayTurnsIdNamesItsTurnAndReadsBack() {
    CustomId id = new CustomId(7, 2, 4, 0, 1);

    assertThat(id.text()).isEqualTo("s7-r2-t4-q0-a1");
    assertThat(CustomId.parse(id.text())).isEqualTo(id);
  }

  @Test
  void anOutcomeExtractionsIdIsToldApartFromEveryRoundAndReadsBack() {
    CustomId id = new CustomId(9, OutcomeAsk.ROUND, 0, 2, 3);

    assertThat(id.text()).isEqualTo("s9-o-q2-a3");
    assertThat(CustomId.parse(id.text())).isEqualTo(id);
    assertThat(CustomId.parse("s9-r1-q2-a3").round()).isEqualTo(1);
  }

  @Test
  void anIdThatIsNotCohortsReadsAsNull() {
    assertThat(CustomId.parse("request-1")).isNull();
    assertThat(CustomId.parse("s1-r1-t-q0-a1")).isNull();
    assertThat(CustomId.parse("s1-o-t2-q0-a1")).isNull();
    assertThat(CustomId.parse("s1-o1-q0-a1")).isNull();
  }
}
