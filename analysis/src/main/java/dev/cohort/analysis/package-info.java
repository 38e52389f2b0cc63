/**
 * The analysis of a stored batch's declared outcomes. {@link dev.cohort.analysis.CohortAnalysis}
 * reads a batch through a {@link dev.cohort.core.Cohort} in one streaming pass and returns an
 * immutable {@link dev.cohort.analysis.Analysis}: for each numeric or boolean outcome its mean with a
 * 95 % interval (t, or Wilson for proportions), the effect of each entity's presence (Welch, Holm
 * adjusted), means per entity and attribute value for per-participant outcomes, composition
 * effects per categorical attribute, the intraclass correlation of replicated groups, and frequency
 * tables for enum and entity outcomes. It also writes a one-page HTML report. Flagged simulations
 * are left out unless asked for. The statistics and the report's writer are package-private beside the records.
 */
@NullMarked
package dev.cohort.analysis;

import org.jspecify.annotations.NullMarked;
