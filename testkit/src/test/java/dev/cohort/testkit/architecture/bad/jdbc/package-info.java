/** Fixture: a fake driven adapter that uses the fake core's internal package. */
@NullMarked
package dev.cohort.testkit.architecture.bad.jdbc;

import org.jspecify.annotations.NullMarked;
