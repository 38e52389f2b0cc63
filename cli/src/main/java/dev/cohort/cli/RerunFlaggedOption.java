package dev.cohort.cli;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.ValidationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The flag {@code --rerun-flagged} of {@code run}: the quality flags ({@code rerun_flagged}) that
 * make a completed simulation play once more, the better attempt kept.
 */
final class RerunFlaggedOption {
  static final String FLAG = "--rerun-flagged";

  @Option(names = FLAG, split = ",", paramLabel = "FLAGS",
      description = "Quality flags that make a completed simulation play once more with another seed "
          + "(rerun_flagged), such as 'repetition,refusal'; the better attempt is kept, the other goes to its "
          + "attempt history. Any of persona_break, refusal, repetition, empty_turn, truncated, "
          + "language_mismatch, silent_participant.")
  @Nullable List<String> flags;

  /**
   * Gives the flags to {@code builder}; names are read as the JSON spells them, case and {@code -}
   * for {@code _} forgiven.
   *
   * @throws ValidationException naming {@code rerun_flagged} when a name is no quality flag
   */
  void applyTo(BatchRequest.Builder builder) {
    if (flags == null) {
      return;
    }
    Set<QualityFlag> chosen = EnumSet.noneOf(QualityFlag.class);
    List<String> unknown = new ArrayList<>();
    for (String name : flags) {
      String wire = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
      QualityFlag.fromWireName(wire).ifPresentOrElse(chosen::add, () -> unknown.add(name));
    }
    if (!unknown.isEmpty()) {
      List<String> known = new ArrayList<>();
      for (QualityFlag flag : QualityFlag.values()) {
        known.add(flag.wireName());
      }
      throw new ValidationException("rerun_flagged", "names no quality flag: " + String.join(", ", unknown)
          + "; use " + String.join(", ", known));
    }
    builder.rerunFlagged(chosen);
  }
}
