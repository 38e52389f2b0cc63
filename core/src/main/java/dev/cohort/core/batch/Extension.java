package dev.cohort.core.batch;

/**
 * One growth of a batch by {@code Cohort.extend}: kept in the batch's stored request, in order, so a
 * reader of the export knows how its groups came about.
 *
 * @param numSimulations how many more groups were asked for
 * @param plannedGroups how many new groups were planned (fewer when the feasible groups ran out)
 * @param firstSequenceNumber the sequence number of the extension's first simulation
 */
public record Extension(int numSimulations, int plannedGroups, int firstSequenceNumber) {}
