package dev.cohort.cli;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.Visibility;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --mode} and {@code --visibility}: how a batch's conversations are written. */
final class ModeOptions {
  @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class, completionCandidates = ModeConverter.class,
      description = {"scripted (default): one model call per round writes every participant's turns; cheap.",
          "roleplay: one call per turn, made for its speaker, who sees only their own persona in full, the others "
              + "as --visibility allows and never another's thoughts; about n-turns times the calls."})
  SimulationMode mode = BatchRequest.DEFAULT_MODE;

  @Option(names = "--visibility", paramLabel = "WHAT", converter = VisibilityConverter.class,
      completionCandidates = VisibilityConverter.class,
      description = "What a role-play speaker sees of the others: names, descriptions (default) or full "
          + "(attributes too, as scripted mode's author does). Scripted mode ignores it.")
  Visibility visibility = BatchRequest.DEFAULT_VISIBILITY;

  /** Sets the request's mode and visibility. */
  BatchRequest.Builder applyTo(BatchRequest.Builder builder) {
    return builder.mode(mode).visibility(visibility);
  }

  /** {@code --mode}'s values by their wire names, any case. */
  static final class ModeConverter implements ITypeConverter<SimulationMode>, Iterable<String> {
    @Override
    public SimulationMode convert(String value) {
      return SimulationMode.fromWireName(value).orElseThrow(() -> new TypeConversionException(
          "'" + value + "' is not a mode; use one of " + SimulationMode.wireNames()));
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(SimulationMode.values()).map(SimulationMode::wireName).iterator();
    }
  }

  /** {@code --visibility}'s values by their wire names, any case. */
  static final class VisibilityConverter implements ITypeConverter<Visibility>, Iterable<String> {
    @Override
    public Visibility convert(String value) {
      return Visibility.fromWireName(value).orElseThrow(() -> new TypeConversionException(
          "'" + value + "' is not a visibility; use one of " + Visibility.wireNames()));
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Visibility.values()).map(Visibility::wireName).iterator();
    }
  }
}
