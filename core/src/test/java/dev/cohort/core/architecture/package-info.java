/**
 * Architecture tests of the core module: rules the build checks over its compiled classes, each
 * with a test proving the rule can fail.
 */
@NullMarked
package dev.cohort.core.architecture;

import org.jspecify.annotations.NullMarked;
