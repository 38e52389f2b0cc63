/**
 * Cohort's entry point. {@link dev.cohort.core.Cohort} runs batch simulations: it picks many
 * k-of-n groups of entities, puts each group in one shared context, lets a language model write
 * their dialogue and stores every result through a {@link dev.cohort.core.port.RepositoryPort}.
 * The exceptions every Cohort call may throw share the root {@link dev.cohort.core.batch.CohortException}.
 */
@NullMarked
package dev.cohort.core;

import org.jspecify.annotations.NullMarked;
