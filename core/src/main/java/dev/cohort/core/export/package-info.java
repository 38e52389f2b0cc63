/**
 * Getting a batch out for analysis. {@link dev.cohort.core.export.BatchExporter} streams a stored
 * batch from a {@link dev.cohort.core.port.RepositoryPort} to a caller's {@code OutputStream} in one
 * of the {@link dev.cohort.core.export.ExportFormat formats}: the batch as one JSON document, one
 * CSV row or JSON line per simulation, or the long "utterance" table with one row per turn, plus a
 * separate CSV of the batch's entities. {@link dev.cohort.core.export.ExportOptions} tunes the
 * output (spreadsheet formula neutralisation, a byte order mark for Excel, indentation). The JSON
 * forms come from the internal codec ({@code dev.cohort.core.internal.codec}), shared with the REST
 * API, the stores and the command line. Every export holds one simulation at a time in memory.
 */
@NullMarked
package dev.cohort.core.export;

import org.jspecify.annotations.NullMarked;
