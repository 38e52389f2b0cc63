/**
 * The written forms of an analysis: its JSON (snake_case, as the REST API and {@code cohort analyze
 * --json} give it) and the HTML report. Exported to the REST server and the command line only; not
 * API.
 */
@NullMarked
package dev.cohort.analysis.internal;

import org.jspecify.annotations.NullMarked;
