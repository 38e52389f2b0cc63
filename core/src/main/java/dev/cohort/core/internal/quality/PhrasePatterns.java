package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds turns whose text or inner thought matches one of a detector's phrase patterns. Each pattern
 * runs only on a text that contains one of its {@link NecessaryLiterals} (derived from the pattern,
 * compared case-folded as the regex compares, found in one {@link LiteralScan} pass): a text
 * without any of them cannot match, and most turns contain none, so most turns cost one fold and
 * one scan instead of every case-insensitive regex.
 */
final class PhrasePatterns {
  private final List<Pattern> patterns;
  /** Per pattern, the folded literals one of which every match contains; empty: always run it. */
  private final List<List<String>> literals;
  private final LiteralScan scan;

  PhrasePatterns(List<String> regexes) {
    this.patterns = regexes.stream()
        .map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
        .toList();
    this.literals = regexes.stream().map(NecessaryLiterals::of).toList();
    this.scan = new LiteralScan(literals);
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
    long candidates = scan.candidates(CaseFold.of(normalised));
    for (int i = 0; i < patterns.size(); i++) {
      if ((candidates & 1L << i) != 0 && patterns.get(i).matcher(normalised).find()) {
        return true;
      }
    }
    return false;
  }

  /** {@link #matches} without the prefilter: every regex on the text. What the tests compare with. */
  boolean matchesByRegexAlone(String text) {
    String normalised = text.replace('\u2019', '\'');
    for (Pattern p : patterns) {
      if (p.matcher(normalised).find()) {
        return true;
      }
    }
    return false;
  }

  /** The prefilter's literals of each pattern, in pattern order (what the tests inspect). */
  List<List<String>> literals() {
    return literals;
  }
}
