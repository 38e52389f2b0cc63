package dev.cohort.cli;

import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.export.ExportFormat;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --format}: an export format by its wire name, {@code utterances-csv} and {@code
 * utterances_csv} alike, or {@code entities-csv} for the batch's entities.
 */
final class ExportFormatConverter implements ITypeConverter<ExportShape>, Iterable<String> {
  @Override
  public ExportShape convert(String value) {
    if (value.strip().replace('_', '-').equalsIgnoreCase(ExportShape.ENTITIES_CSV_NAME)) {
      return ExportShape.ENTITIES_CSV;
    }
    try {
      return ExportShape.of(ExportFormat.fromWireName(value));
    } catch (ValidationException e) {
      throw new TypeConversionException("'" + value + "' is not a format; use one of " + String.join(", ", this));
    }
  }

  /** The names shown in help and offered for completion. */
  @Override
  public Iterator<String> iterator() {
    return Stream.concat(Arrays.stream(ExportFormat.values()).map(ExportFormatConverter::flagValue),
        Stream.of(ExportShape.ENTITIES_CSV_NAME)).iterator();
  }

  /** The format as the command line spells it, {@code utterances-csv}: what messages show. */
  static String flagValue(ExportFormat format) {
    return format.wireName().replace('_', '-');
  }
}
