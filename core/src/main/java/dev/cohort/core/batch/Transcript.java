package dev.cohort.core.batch;

import java.util.List;

/** Renders turns in the original system's transcript format. */
public final class Transcript {
  private Transcript() {}

  /**
   * Each turn as {@code Name: *thought*\n"text"}, or {@code Name: "text"} when it has no thought,
   * separated by a blank line.
   */
  public static String render(List<Turn> turns) {
    StringBuilder out = new StringBuilder();
    for (Turn turn : turns) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      out.append(turn.speakerName()).append(": ");
      String thought = turn.thought();
      if (thought != null && !thought.isBlank()) {
        out.append('*').append(thought).append("*\n");
      }
      out.append('"').append(turn.text()).append('"');
    }
    return out.toString();
  }
}
