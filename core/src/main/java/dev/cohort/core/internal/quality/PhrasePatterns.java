package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;
import java.util.regex.Pattern;

/** Finds turns whose text or inner thought matches one of a detector's phrase patterns. */
final class PhrasePatterns {
  private final List<Pattern> patterns;

  PhrasePatterns(List<String> regexes) {
    this.patterns = regexes.stream()
        .map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
        .toList();
  }

  /** Whether some turn's text or thought matches some pattern. */
  boolean anyTurnMatches(List<Turn> turns) {
    for (Turn turn : turns) {
      if (matches(turn.text()) || (turn.thought() != null && matches(turn.thought()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} matches some pattern; curly apostrophes count as straight ones. */
  boolean matches(String text) {
    String normalised = text.replace('\u2019', '\'');
    for (Pattern p : patterns) {
      if (p.matcher(normalised).find()) {
        return true;
      }
    }
    return false;
  }
}
