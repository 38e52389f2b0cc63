/** Fixture: fake core code that does console and file I/O. */
@NullMarked
package dev.cohort.testkit.architecture.bad.core.io;

import org.jspecify.annotations.NullMarked;
