package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.Turn;
import java.util.List;

/**
 * Flags {@code persona_break}: a turn (its text or its inner thought) in which the model speaks as
 * itself rather than as the persona — it calls itself an AI, a language model or an assistant, or it
 * talks about the prompt, its instructions or training, the simulation or role-play, or stepping out
 * of character. The patterns are first-person or name the machinery, so a persona who discusses AI
 * ("AI models predict more floods") or says "a prompt reply" is not flagged.
 */
final class PersonaBreakDetector {
  private static final String ARTICLE = "(?:an?|the|just an?|only an?|merely an?)";
  /** The phrase patterns; package-private so the prefilter tests can compare both paths. */
  static final PhrasePatterns PATTERNS = new PhrasePatterns(List.of(
      "\\bas an? (?:ai|a\\.i\\.|artificial intelligence|(?:large )?language model|llm|chatbot|ai assistant|virtual assistant)\\b",
      "\\bI(?: am|'m) " + ARTICLE + " (?:ai|a\\.i\\.|artificial intelligence|(?:large )?language model|llm|chatbot|"
          + "(?:ai |virtual |helpful )?assistant)\\b",
      "\\b(?:my|the) (?:training data|knowledge cutoff|programming|system prompt)\\b",
      "\\bsystem prompt\\b",
      "\\b(?:in|from) (?:the|your|my|this) prompt\\b",
      "\\b(?:the|your) prompt (?:says|said|asks|asked|tells|told|wants|wanted|instructs|instructed)\\b",
      "\\b(?:my|your|the) instructions (?:say|said|are|were|ask|asked|tell|told)\\b",
      "\\bI (?:was|have been|am) (?:instructed|programmed|trained) to\\b",
      "\\b(?:this|the) (?:simulation|role-?play|roleplay) (?:is|asks|requires|wants)\\b",
      "\\b(?:stay(?:ing)?|break(?:ing)?|broke|step(?:ping)? out of|out of) (?:my |the )?character\\b",
      "\\bI (?:can(?:not|'t)|won't) (?:role-?play|pretend to be|play the role of)\\b",
      "\\b(?:openai|chatgpt|anthropic)\\b"));

  private PersonaBreakDetector() {}

  static boolean flags(List<Turn> turns) {
    return PATTERNS.anyTurnMatches(turns);
  }

  /** Whether one text breaks persona: what the tests probe. */
  static boolean breaksPersona(String text) {
    return PATTERNS.matches(text);
  }
}
