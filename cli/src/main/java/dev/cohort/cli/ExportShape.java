package dev.cohort.cli;

import dev.cohort.core.export.ExportFormat;

/**
 * What {@code export --format} names: one of the batch's {@link ExportFormat formats}, or {@code
 * entities-csv}, the batch's entities as they were when it was created ({@code
 * Cohort.exportEntities}).
 *
 * @param format the format written (CSV for the entities)
 * @param entities whether the entities are exported rather than the simulations
 */
record ExportShape(ExportFormat format, boolean entities) {
  /** The name of the entities export on the command line. */
  static final String ENTITIES_CSV_NAME = "entities-csv";
  /** The batch's entities as CSV. */
  static final ExportShape ENTITIES_CSV = new ExportShape(ExportFormat.CSV, true);

  /** A batch format. */
  static ExportShape of(ExportFormat format) {
    return new ExportShape(format, false);
  }
}
