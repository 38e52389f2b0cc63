package dev.cohort.core.internal.quality;

import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Turn;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Runs every per-simulation quality check on a completed simulation and lists the flags it earns,
 * in {@link QualityFlag} order. Local and cheap: no model call, linear in the transcript (the
 * repetition check compares the simulation's turns pair by pair). {@code duplicate_transcript} is
 * not among them: it needs the whole batch ({@link DuplicateTranscripts}).
 */
public final class SimulationFlagger {
  private SimulationFlagger() {}

  /**
   * The flags of one completed simulation.
   *
   * @param language the batch's {@code language}
   * @param entityIds the simulation's participants
   * @param turns its transcript
   * @param truncatedAnswers how many of its accepted answers were cut off at the token limit
   */
  public static List<QualityFlag> flags(String language, List<String> entityIds, List<Turn> turns,
      int truncatedAnswers) {
    return flags(language, entityIds, turns, truncatedAnswers, TurnWords.of(turns));
  }

  /**
   * The flags of one completed simulation, as {@link #flags(String, List, List, int)}, and its
   * transcript's {@link DuplicateTranscripts#signature duplicate signature}, from the same cut of
   * its words: what a runner needs when it stores a completed simulation.
   */
  public static SimulationQuality assess(String language, List<String> entityIds, List<Turn> turns,
      int truncatedAnswers) {
    TurnWords words = TurnWords.of(turns);
    List<QualityFlag> flags = flags(language, entityIds, turns, truncatedAnswers, words);
    return new SimulationQuality(flags, DuplicateTranscripts.signature(words, turns.size()));
  }

  private static List<QualityFlag> flags(String language, List<String> entityIds, List<Turn> turns,
      int truncatedAnswers, TurnWords words) {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(entityIds, "entityIds");
    Objects.requireNonNull(turns, "turns");
    if (truncatedAnswers < 0) {
      throw new IllegalArgumentException("truncatedAnswers must not be negative, was " + truncatedAnswers);
    }
    EnumSet<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    // The repetition and the language checks (and the duplicate signature) read every turn's words: cut once.
    if (PersonaBreakDetector.flags(turns)) {
      flags.add(QualityFlag.PERSONA_BREAK);
    }
    if (RefusalDetector.flags(turns)) {
      flags.add(QualityFlag.REFUSAL);
    }
    if (RepetitionDetector.flags(turns, words)) {
      flags.add(QualityFlag.REPETITION);
    }
    if (EmptyTurnDetector.flags(turns)) {
      flags.add(QualityFlag.EMPTY_TURN);
    }
    if (truncatedAnswers > 0) {
      flags.add(QualityFlag.TRUNCATED);
    }
    if (LanguageMismatchDetector.flags(language, turns, words)) {
      flags.add(QualityFlag.LANGUAGE_MISMATCH);
    }
    if (SilentParticipantDetector.flags(entityIds, turns)) {
      flags.add(QualityFlag.SILENT_PARTICIPANT);
    }
    return List.copyOf(flags);
  }
}
