package dev.cohort.core.internal.batchapi;

import dev.cohort.core.internal.outcome.OutcomeAsk;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The custom id of one request in a provider batch job: the simulation's sequence number, the
 * round, the role-play turn ({@code turn}; 0 for a scripted round, which holds several turns), the
 * re-ask ({@code ask}, 0 for the first call) and the try of that call ({@code attempt}, 1 for the
 * first; a request the provider failed or left unanswered is tried again in the next job), as
 * {@code s12-r3-q0-a1} (scripted) or {@code s12-r3-t5-q0-a1} (role-play). A simulation's outcome
 * extraction, which follows its last round, has round {@value OutcomeAsk#ROUND} and reads {@code
 * s12-o-q0-a1}. Short, so a job's ids stay within the provider's 64 characters; ids stored before
 * turns or extractions were named read as before.
 */
record CustomId(int sequence, int round, int turn, int ask, int attempt) {
  private static final Pattern FORM = Pattern.compile("s(\\d+)-(?:r(\\d+)(?:-t(\\d+))?|o)-q(\\d+)-a(\\d+)");

  String text() {
    String piece = round == OutcomeAsk.ROUND ? "o" : "r" + round + (turn == 0 ? "" : "-t" + turn);
    return "s" + sequence + "-" + piece + "-q" + ask + "-a" + attempt;
  }

  /** The id {@code text} names, or null when it is not one of Cohort's. */
  static @Nullable CustomId parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return null;
    }
    int turn = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    int round = m.group(2) == null ? OutcomeAsk.ROUND : Integer.parseInt(m.group(2));
    return new CustomId(Integer.parseInt(m.group(1)), round, turn,
        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
  }
}
