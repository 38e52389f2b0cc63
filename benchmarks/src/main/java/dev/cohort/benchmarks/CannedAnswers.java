package dev.cohort.benchmarks;

import dev.cohort.core.batch.Entity;
import java.util.Locale;

/**
 * Realistic model answers, written once before a measurement so that what is measured is Cohort,
 * not a text generator: a round of four turns between two participants in the JSON turn format,
 * about 600 characters, each turn's text different (the engine refuses a turn that repeats an
 * earlier one verbatim).
 */
final class CannedAnswers {
  private static final String[] LINES = {
    "I take the bus every morning, and honestly the 7:40 is late more often than not.",
    "That matches what I hear at work; people would ride more if the timetable were reliable.",
    "Reliability first, then frequency. A bus every ten minutes changes how you plan your day.",
    "Agreed, though the council will ask who pays for it; maybe a trial on the busiest route?",
  };

  private CannedAnswers() {}

  /** A four-turn answer spoken alternately by {@code first} and {@code second}; {@code variant} varies the text. */
  static String fourTurns(Entity first, Entity second, int variant) {
    StringBuilder json = new StringBuilder(700).append("{\"turns\":[");
    for (int i = 0; i < LINES.length; i++) {
      Entity speaker = i % 2 == 0 ? first : second;
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"speaker\":\"").append(speaker.name())
          .append("\",\"thought\":\"").append(i % 2 == 0 ? "Keep it concrete." : "Find common ground.")
          .append("\",\"text\":\"").append(LINES[i]).append(String.format(Locale.ROOT, " (%d.%d)", variant, i))
          .append("\"}");
    }
    return json.append("]}").toString();
  }
}
