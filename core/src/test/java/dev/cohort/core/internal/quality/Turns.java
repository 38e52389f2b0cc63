package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.List;

/** Builds transcripts for the detector tests: alternating speakers e1, e2, one round. */
final class Turns {
  private Turns() {}

  static List<Turn> of(String... texts) {
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      String id = i % 2 == 0 ? "e1" : "e2";
      turns.add(new Turn(1, i + 1, id, i % 2 == 0 ? "Maya Chen" : "Omar Haddad", null, texts[i]));
    }
    return turns;
  }
}
