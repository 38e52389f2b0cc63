/** Deliberately bad classes under a root of their own, on which every architecture rule must fail: the modules' packages are mimicked one level down ({@code bad.core}, {@code bad.jdbc}, …). */
@NullMarked
package dev.cohort.testkit.architecture.bad;

import org.jspecify.annotations.NullMarked;
