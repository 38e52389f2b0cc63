package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;

/**
 * Flags {@code refusal}: a turn in which the model declines the task instead of playing it — an
 * apology followed by "I can't", or a first-person "cannot help / assist / comply / continue /
 * fulfil this request", "I must decline", "against my guidelines". The patterns name the request or
 * the model's own limits, so a persona refusing something inside the story ("I can't support this
 * plan", "I refuse to sign") is not flagged.
 */
final class RefusalDetector {
  private static final String TASK_VERBS = "(?:help|assist|comply|continue|fulfil|fulfill|provide|create|generate|"
      + "write|produce|engage|participate|take part|do that|do this|role-?play)";
  private static final String CANNOT = "(?:can(?:not|'t)|won't(?: be able to)?|will not(?: be able to)?|am unable to|"
      + "'m unable to|am not able to|'m not able to)";
  /** The phrase patterns; package-private so the prefilter tests can compare both paths. */
  static final PhrasePatterns PATTERNS = new PhrasePatterns(List.of(
      "\\b(?:I'm|I am) sorry,? (?:but )?I (?:can(?:not|'t)|won't|am unable to|'m unable to|am not able to)\\b",
      "\\bI " + CANNOT + " " + TASK_VERBS
          + " (?:with )?(?:that|this|your|the|these|such)(?: request| scenario| task| conversation| content)?\\b",
      "\\bI " + CANNOT + " (?:help|assist|comply)\\b",
      "\\bI (?:must|have to|need to|will have to) (?:respectfully )?decline\\b",
      "\\b(?:against|violates?|outside) (?:my|the|our) (?:guidelines|content polic(?:y|ies)|usage polic(?:y|ies)|"
          + "polic(?:y|ies)|principles|programming)\\b",
      "\\bI(?:'m| am) not (?:comfortable|able) (?:continuing|participating|writing|generating|role-?playing)\\b"));

  private RefusalDetector() {}

  static boolean flags(List<Turn> turns) {
    return PATTERNS.anyTurnMatches(turns);
  }

  /** Whether one text is a refusal: what the tests probe. */
  static boolean refuses(String text) {
    return PATTERNS.matches(text);
  }
}
