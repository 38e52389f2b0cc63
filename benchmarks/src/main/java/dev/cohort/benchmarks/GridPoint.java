package dev.cohort.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One point of the sampler grid: plan {@code requested} distinct {@code k}-subsets of a pool of
 * {@code n}.
 *
 * @param n pool size
 * @param k subset size
 * @param requested how many combinations to plan (N)
 */
public record GridPoint(int n, int k, int requested) {
  /** The grid of issue 8, as {@code n,k,N} strings (the form JMH parameters take). */
  public static final List<String> DEFAULT_GRID =
      List.of("10,2,45", "100,5,10000", "1000,3,100000", "10000,5,100000", "200,10,1000000");

  /** Checks that the point is one the sampler accepts. */
  public GridPoint {
    if (n < 1 || k < 1 || k > n) {
      throw new IllegalArgumentException("need 1 <= k <= n, got n=" + n + ", k=" + k);
    }
    if (requested < 1) {
      throw new IllegalArgumentException("N must be at least 1, was " + requested);
    }
  }

  /**
   * Reads {@code n,k,N}, e.g. {@code 10000,5,100000}, or {@code n/k/N}: JMH splits a {@code -p}
   * value at commas, so {@code -p grid=10000/5/100000} selects one point on its command line.
   *
   * @throws IllegalArgumentException naming the text when it is not three positive integers
   */
  public static GridPoint parse(String text) {
    String[] parts = text.split("[,/]", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("grid point must be n,k,N (e.g. 10000,5,100000), was '" + text + "'");
    }
    try {
      return new GridPoint(
          Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("grid point must be three integers n,k,N, was '" + text + "'", e);
    }
  }

  /** Every point of {@code texts}, or of {@link #DEFAULT_GRID} when there are none. */
  public static List<GridPoint> parseAll(List<String> texts) {
    List<GridPoint> points = new ArrayList<>();
    for (String text : texts.isEmpty() ? DEFAULT_GRID : texts) {
      points.add(parse(text));
    }
    return points;
  }

  @Override
  public String toString() {
    return n + "," + k + "," + requested;
  }
}
