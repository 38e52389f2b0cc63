package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;

/**
 * Flags {@code empty_turn}: a turn whose text has no letter and no digit in any script — blank,
 * "...", "—", "**". The engine already re-asks a turn with blank text, so what reaches a finished
 * simulation is punctuation-only filler; a turn of stage directions ("*nods*") has words and is not
 * empty.
 */
final class EmptyTurnDetector {
  private EmptyTurnDetector() {}

  static boolean flags(List<Turn> turns) {
    for (Turn turn : turns) {
      if (!WordTokens.hasWordCharacter(turn.text())) {
        return true;
      }
    }
    return false;
  }
}
