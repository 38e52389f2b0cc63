/**
 * An in-process fake of OpenAI's HTTP API for tests in any module: a loopback server that answers
 * with the bodies and headers OpenAI sends (completions, errors, rate limits), scripted per test,
 * recording every request. Tests of the OpenAI adapter, the reliability suite and the features
 * built on the adapter (spend, caching, role-play) share it instead of each writing its own.
 */
@NullMarked
package dev.cohort.testkit.openai;

import org.jspecify.annotations.NullMarked;
