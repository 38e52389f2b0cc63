package dev.cohort.cli;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.export.ExportFormat;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --format}: an export format by its wire name, {@code utterances-csv} and {@code utterances_csv} alike. */
final class ExportFormatConverter implements ITypeConverter<ExportFormat>, Iterable<String> {
  @Override
  public ExportFormat convert(String value) {
    try {
      return ExportFormat.fromWireName(value);
    } catch (ValidationException e) {
      throw new TypeConversionException("'" + value + "' is not a format; use one of " + String.join(", ", this));
    }
  }

  /** The names shown in help and offered for completion. */
  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(ExportFormat.values()).map(ExportFormatConverter::flagValue).iterator();
  }

  /** The format as the command line spells it, {@code utterances-csv}: what messages show. */
  static String flagValue(ExportFormat format) {
    return format.wireName().replace('_', '-');
  }
}
