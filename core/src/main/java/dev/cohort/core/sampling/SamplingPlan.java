package dev.cohort.core.sampling;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The combinations chosen for a batch, drawn as they are read: a plan holds its parameters, not its
 * combinations, so a plan of millions costs no memory until it is iterated, and iterating holds one
 * primitive key per combination drawn so far at most (see {@link CombinationSampler}).
 *
 * <p>Each {@link #iterator()} draws the plan afresh from its seed and yields the same combinations
 * in the same order: distinct k-subsets, each a new ascending array of indices into the pool that
 * the caller may keep; all of them in lexicographic order when {@link #exhaustive()}, else in draw
 * order.
 */
public final class SamplingPlan implements Iterable<int[]> {
  private final int requested;
  private final BigInteger available;
  private final int planned;
  private final Supplier<Iterator<int[]>> draws;

  SamplingPlan(int requested, BigInteger available, int planned, Supplier<Iterator<int[]>> draws) {
    this.requested = requested;
    this.available = available;
    this.planned = planned;
    this.draws = draws;
  }

  /** How many combinations were asked for. */
  public int requested() {
    return requested;
  }

  /** C(n,k): how many distinct combinations exist. */
  public BigInteger available() {
    return available;
  }

  /** How many combinations the plan yields: min(requested, C(n,k)). */
  public int planned() {
    return planned;
  }

  /** Whether every existing combination is planned (C(n,k) ≤ requested). */
  public boolean exhaustive() {
    return available.compareTo(BigInteger.valueOf(requested)) <= 0;
  }

  /** Draws the plan's {@link #planned()} combinations, in plan order. */
  @Override
  public Iterator<int[]> iterator() {
    Iterator<int[]> source = draws.get();
    return new Iterator<>() {
      private int yielded;

      @Override
      public boolean hasNext() {
        return yielded < planned;
      }

      @Override
      public int[] next() {
        if (yielded >= planned) {
          throw new NoSuchElementException("the plan has " + planned + " combinations");
        }
        yielded++;
        return source.next();
      }
    };
  }

  @Override
  public String toString() {
    return "SamplingPlan[requested=" + requested + ", available=" + available + ", planned=" + planned + "]";
  }
}
