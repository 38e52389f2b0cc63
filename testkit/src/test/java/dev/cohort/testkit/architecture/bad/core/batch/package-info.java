/** Fixture: the other half of the root-package cycle. */
@NullMarked
package dev.cohort.testkit.architecture.bad.core.batch;

import org.jspecify.annotations.NullMarked;
