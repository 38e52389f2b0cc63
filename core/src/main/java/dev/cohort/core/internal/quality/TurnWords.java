package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;

/**
 * The {@link WordTokens words} of each turn's text, cut at most once however many detectors ask:
 * the repetition and language checks both read every turn's words, and tokenising each text twice
 * was a visible share of a simulation's write.
 */
final class TurnWords {
  private final List<Turn> turns;
  private final List<String>[] words;

  @SuppressWarnings("unchecked")
  private TurnWords(List<Turn> turns) {
    this.turns = turns;
    this.words = (List<String>[]) new List<?>[turns.size()];
  }

  /** Words for {@code turns}, cut when first asked for. Not for use by several threads at once. */
  static TurnWords of(List<Turn> turns) {
    return new TurnWords(turns);
  }

  /** The words of turn {@code index}'s text, as {@link WordTokens#of} cuts them. */
  List<String> of(int index) {
    List<String> cut = words[index];
    if (cut == null) {
      cut = WordTokens.of(turns.get(index).text());
      words[index] = cut;
    }
    return cut;
  }
}
