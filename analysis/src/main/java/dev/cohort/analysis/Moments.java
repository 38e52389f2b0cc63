package dev.cohort.analysis;

/**
 * A running count, mean and sum of squared deviations (Welford's update), so a sample's mean and
 * variance are known in one pass without keeping its values.
 */
final class Moments {
  private long n;
  private double mean;
  private double m2;

  void add(double x) {
    n++;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }

  long n() {
    return n;
  }

  /** The mean; NaN when empty. */
  double mean() {
    return n == 0 ? Double.NaN : mean;
  }

  /** The sum of squared deviations from the mean. */
  double sumOfSquares() {
    return m2;
  }

  /** The sample variance (n − 1); NaN below two values. */
  double variance() {
    return n < 2 ? Double.NaN : m2 / (n - 1);
  }
}
