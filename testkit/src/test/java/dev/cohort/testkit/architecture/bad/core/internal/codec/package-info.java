/** Fixture: an internal package of the fake core. */
@NullMarked
package dev.cohort.testkit.architecture.bad.core.internal.codec;

import org.jspecify.annotations.NullMarked;
