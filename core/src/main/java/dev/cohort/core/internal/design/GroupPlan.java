package dev.cohort.core.internal.design;

import java.math.BigInteger;
import java.util.Iterator;

/**
 * The groups a design plans, drawn as they are read.
 *
 * @param planned how many groups {@link #groups} yields
 * @param available how many groups the design could choose from: C(n,k), the feasible count under
 *     constraints, or the number of explicit groups
 * @param groups each group as pool indices in the plan's order (ascending for drawn groups, as
 *     given for explicit ones)
 */
public record GroupPlan(int planned, BigInteger available, Iterator<int[]> groups) {}
