/**
 * The REST API of Cohort, served by the JDK's built-in {@code com.sun.net.httpserver}: no web
 * framework, nothing beyond core and Jackson. {@link dev.cohort.http.CohortServer} wraps a {@link
 * dev.cohort.core.Cohort} and exposes the original system's batch-simulation endpoints ({@code
 * /api/batch-simulations}, with export, status, cancel and resume) plus entity and health routes,
 * answering in the envelope {@code {"status":"success","data":…}} or {@code
 * {"status":"error","message":"…"}} with snake_case fields. Requests are parsed strictly and every
 * bad one gets a 4xx naming the field; the server binds to loopback by default, can require a bearer
 * token, caps body sizes and never logs headers or bodies. Everything but the server and its
 * builder is package-private.
 */
@NullMarked
package dev.cohort.http;

import org.jspecify.annotations.NullMarked;
