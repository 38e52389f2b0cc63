package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SilentParticipantDetectorTest {

  @Test
  void flagsAMemberWhoNeverSpoke() {
    // Turns.of alternates e1 and e2; e3 is in the group but has no turn.
    assertThat(SilentParticipantDetector.flags(List.of("e1", "e2", "e3"),
        Turns.of("We should fund the seawall.", "The schools come first.", "Then we agree to disagree."))).isTrue();
  }

  @Test
  void leavesAGroupWhereEveryoneSpoke() {
    assertThat(SilentParticipantDetector.flags(List.of("e1", "e2"),
        Turns.of("We should fund the seawall.", "The schools come first."))).isFalse();
  }
}
