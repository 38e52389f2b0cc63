/**
 * The JSON form of the spend types of {@link dev.cohort.core.spend}: the estimate the REST API
 * answers and the command line prints. Apart from the rest of the codec because {@code
 * dev.cohort.core.spend} itself reads price files with the codec, and packages must not form a
 * cycle.
 */
@NullMarked
package dev.cohort.core.internal.codec.spend;

import org.jspecify.annotations.NullMarked;
