/**
 * The one JSON form of Cohort's data, read and written in one place: entities ({@code
 * EntityJson}), batch requests ({@code BatchRequestJson}), turns ({@code TurnJson}), batches and
 * simulations ({@code BatchJson}), over strict parsing and one output configuration ({@code
 * JsonText}: UTF-8, timestamps in milliseconds). Readers check every field's exact JSON type,
 * refuse unknown fields and collect every problem, each named by its path ({@code
 * entities[2].attributes.age}, {@code interaction_size}), into one {@link
 * dev.cohort.core.batch.ValidationException}. The REST API, the JDBC store, the command line and
 * the exporters all use it; it is not API and is exported only to those modules.
 */
@NullMarked
package dev.cohort.core.internal.codec;

import org.jspecify.annotations.NullMarked;
