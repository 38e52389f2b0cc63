package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Flags {@code silent_participant}: a member of the simulation's group who speaks no turn. When the
 * batch's design gives fewer turns than participants, {@link dev.cohort.core.batch.Batch#warnings()}
 * already warns at creation that every simulation will have one; this check confirms it simulation
 * by simulation, and also catches a model that gave one participant's turns to another (speaking
 * order is asked for, not enforced).
 */
final class SilentParticipantDetector {
  private SilentParticipantDetector() {}

  static boolean flags(List<String> entityIds, List<Turn> turns) {
    Set<String> spoke = new HashSet<>();
    for (Turn turn : turns) {
      spoke.add(turn.speakerId());
    }
    return !spoke.containsAll(entityIds);
  }
}
