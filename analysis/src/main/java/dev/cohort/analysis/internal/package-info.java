/**
 * The JSON form of an analysis (snake_case, as the REST API and {@code cohort analyze --json} give
 * it). Exported to the REST server and the command line only; not API. It reads the analysis
 * records and nothing in {@code dev.cohort.analysis} reads it, so the packages form no cycle.
 */
@NullMarked
package dev.cohort.analysis.internal;

import org.jspecify.annotations.NullMarked;
