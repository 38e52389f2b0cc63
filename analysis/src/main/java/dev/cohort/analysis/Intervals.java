package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.IntervalMethod;
import dev.cohort.analysis.Analysis.Summary;
import java.util.Arrays;
import java.util.Comparator;
import org.hipparchus.distribution.continuous.FDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/** The 95 % intervals, tests and p-value adjustment the analysis uses; distributions from Hipparchus. */
final class Intervals {
  static final double CONFIDENCE = 0.95;
  private static final double UPPER = 1 - (1 - CONFIDENCE) / 2;
  private static final double Z = new NormalDistribution(0, 1).inverseCumulativeProbability(UPPER);

  private Intervals() {}

  /** The sample's summary: a t interval of its mean, or Wilson's for a proportion. */
  static Summary summary(Moments m, IntervalMethod method) {
    return method == IntervalMethod.WILSON ? wilson(m) : t(m);
  }

  /** Mean ± t(0.975, n − 1) · sd / √n; NaN ends below two values. */
  static Summary t(Moments m) {
    double sd = Math.sqrt(m.variance());
    double low = Double.NaN;
    double high = Double.NaN;
    if (m.n() >= 2) {
      double half = new TDistribution(m.n() - 1).inverseCumulativeProbability(UPPER) * sd / Math.sqrt(m.n());
      low = m.mean() - half;
      high = m.mean() + half;
    }
    return new Summary(m.n(), m.mean(), sd, low, high, IntervalMethod.T);
  }

  /** Wilson's score interval (no continuity correction) of a proportion of 0/1 values. */
  static Summary wilson(Moments m) {
    double sd = Math.sqrt(m.variance());
    if (m.n() == 0) {
      return new Summary(0, Double.NaN, sd, Double.NaN, Double.NaN, IntervalMethod.WILSON);
    }
    double n = m.n();
    double p = m.mean();
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new Summary(m.n(), p, sd, Math.max(0, centre - half), Math.min(1, centre + half), IntervalMethod.WILSON);
  }

  /** Welch's t test of {@code a − b}: difference, interval, df, t, p; NaN where undefined. */
  static double[] welch(Moments a, Moments b) {
    double difference = a.mean() - b.mean();
    double va = a.variance() / a.n();
    double vb = b.variance() / b.n();
    double se = Math.sqrt(va + vb);
    if (a.n() < 2 || b.n() < 2 || !(se > 0)) {
      return new double[] {difference, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
    TDistribution dist = new TDistribution(df);
    double t = difference / se;
    double p = 2 * dist.cumulativeProbability(-Math.abs(t));
    double half = dist.inverseCumulativeProbability(UPPER) * se;
    return new double[] {difference, difference - half, difference + half, df, t, p};
  }

  /**
   * The paired t test of differences whose moments are {@code d}: mean difference, interval, df, t,
   * p; NaN where undefined (fewer than two pairs, or all differences equal).
   */
  static double[] pairedT(Moments d) {
    double difference = d.mean();
    double se = Math.sqrt(d.variance() / d.n());
    if (d.n() < 2 || !(se > 0)) {
      return new double[] {difference, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double df = d.n() - 1;
    TDistribution dist = new TDistribution(df);
    double t = difference / se;
    double p = 2 * dist.cumulativeProbability(-Math.abs(t));
    double half = dist.inverseCumulativeProbability(UPPER) * se;
    return new double[] {difference, difference - half, difference + half, df, t, p};
  }

  /** The upper tail of F(d1, d2) at {@code f}. */
  static double fUpperTail(double f, double d1, double d2) {
    return 1 - new FDistribution(d1, d2).cumulativeProbability(f);
  }

  /**
   * Holm's step-down adjustment: the i-th smallest of m p-values becomes max over j ≤ i of
   * min(1, (m − j + 1)·p₍ⱼ₎). NaN p-values stay NaN and do not count in m.
   */
  static double[] holm(double[] p) {
    Integer[] order = new Integer[p.length];
    int m = 0;
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
      if (!Double.isNaN(p[i])) {
        m++;
      }
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      int i = order[rank];
      running = Math.max(running, Math.min(1, (m - rank) * p[i]));
      adjusted[i] = running;
    }
    return adjusted;
  }
}
