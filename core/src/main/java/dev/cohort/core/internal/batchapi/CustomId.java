package dev.cohort.core.internal.batchapi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The custom id of one request in a provider batch job: the simulation's sequence number, the
 * round, the re-ask ({@code ask}, 0 for the round's first call) and the try of that call ({@code
 * attempt}, 1 for the first; a request the provider failed or left unanswered is tried again in the
 * next job), as {@code s12-r3-q0-a1}. Short, so a job's ids stay within the provider's 64 characters.
 */
record CustomId(int sequence, int round, int ask, int attempt) {
  private static final Pattern FORM = Pattern.compile("s(\\d+)-r(\\d+)-q(\\d+)-a(\\d+)");

  String text() {
    return "s" + sequence + "-r" + round + "-q" + ask + "-a" + attempt;
  }

  /** The id {@code text} names, or null when it is not one of Cohort's. */
  static @Nullable CustomId parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return null;
    }
    return new CustomId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)));
  }
}
