/** Fixture: a fake driven adapter that uses another driven adapter. */
@NullMarked
package dev.cohort.testkit.architecture.bad.inmemory;

import org.jspecify.annotations.NullMarked;
