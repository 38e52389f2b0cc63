/** Fixture: a facade in the root package of the fake core that uses {@code bad.core.batch}, which uses it back. */
@NullMarked
package dev.cohort.testkit.architecture.bad.core;

import org.jspecify.annotations.NullMarked;
