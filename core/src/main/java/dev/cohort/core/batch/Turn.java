package dev.cohort.core.batch;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One contribution by one entity.
 *
 * @param round 1-based round the turn belongs to
 * @param turnNumber 1-based number across the whole simulation
 * @param speakerId id of the entity the model named as speaker
 * @param speakerName that entity's name
 * @param thought the speaker's inner thought, or null
 * @param text what the speaker says or does
 */
public record Turn(
    int round, int turnNumber, String speakerId, String speakerName, @Nullable String thought, String text) {
  public Turn {
    if (round < 1 || turnNumber < 1) {
      throw new IllegalArgumentException("round and turnNumber are 1-based");
    }
    Objects.requireNonNull(speakerId, "speakerId");
    Objects.requireNonNull(speakerName, "speakerName");
    Objects.requireNonNull(text, "text");
  }
}
