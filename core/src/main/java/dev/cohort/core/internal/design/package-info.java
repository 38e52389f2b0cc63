/**
 * Study designs: how a batch's groups are chosen beyond the uniform draw of {@code
 * dev.cohort.core.sampling}. {@link dev.cohort.core.internal.design.FeasibleGroups} counts the
 * groups that meet a request's constraints exactly (a dynamic programme over attribute classes) and
 * ranks them, so they can be drawn uniformly; {@link dev.cohort.core.internal.design.BalancedGroups}
 * plans groups in which every entity appears equally often; {@link
 * dev.cohort.core.internal.design.DesignPlanner} picks the right one for a request, for a new batch
 * or for an extension, and {@link dev.cohort.core.internal.design.SpeakingOrders} orders each
 * simulation's speakers. {@link dev.cohort.core.internal.design.CoverageCounter} measures a plan.
 */
@NullMarked
package dev.cohort.core.internal.design;

import org.jspecify.annotations.NullMarked;
