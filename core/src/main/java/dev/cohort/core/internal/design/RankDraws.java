package dev.cohort.core.internal.design;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Distinct ranks drawn uniformly from {@code [0, total)}, prefix-stable: the same (total, strategy
 * size, seed) yields the same sequence however many are read, so an extension that reads further
 * gets the first batch's ranks first. Like {@code CombinationSampler}, the strategy depends on the
 * size it is chosen for: all ranks in order when total ≤ that size, a seeded partial shuffle when
 * total ≤ twice it, else draws with duplicates rejected (one set entry per rank drawn).
 */
final class RankDraws implements Iterator<BigInteger> {
  private static final int MAX_SHUFFLED = Integer.MAX_VALUE - 8;

  private final BigInteger total;
  private final SplittableRandom random;
  private final Strategy strategy;
  private final int[] shuffled;
  private final Set<BigInteger> seen = new HashSet<>();
  private long drawn;

  private enum Strategy { IN_ORDER, SHUFFLE, REJECT }

  /**
   * @param total how many ranks exist
   * @param strategySize the batch's first num_simulations: it fixes the strategy for every extension
   */
  RankDraws(BigInteger total, int strategySize, long seed) {
    this.total = total;
    this.random = new SplittableRandom(seed);
    BigInteger size = BigInteger.valueOf(strategySize);
    if (total.compareTo(size) <= 0) {
      strategy = Strategy.IN_ORDER;
      shuffled = new int[0];
    } else if (total.compareTo(size.shiftLeft(1)) <= 0 && total.compareTo(BigInteger.valueOf(MAX_SHUFFLED)) <= 0) {
      strategy = Strategy.SHUFFLE;
      shuffled = new int[total.intValueExact()];
      for (int i = 0; i < shuffled.length; i++) {
        shuffled[i] = i;
      }
    } else {
      strategy = Strategy.REJECT;
      shuffled = new int[0];
    }
  }

  @Override
  public boolean hasNext() {
    return BigInteger.valueOf(drawn).compareTo(total) < 0;
  }

  @Override
  public BigInteger next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + total + " ranks are drawn");
    }
    long i = drawn++;
    switch (strategy) {
      case IN_ORDER:
        return BigInteger.valueOf(i);
      case SHUFFLE:
        int at = (int) i;
        int j = at + random.nextInt(shuffled.length - at);
        int rank = shuffled[j];
        shuffled[j] = shuffled[at];
        shuffled[at] = rank;
        return BigInteger.valueOf(rank);
      default:
        while (true) {
          BigInteger r = uniformBelow(total, random);
          if (seen.add(r)) {
            return r;
          }
        }
    }
  }

  /** A uniform number in {@code [0, bound)}. */
  static BigInteger uniformBelow(BigInteger bound, SplittableRandom random) {
    if (bound.bitLength() <= 62) {
      return BigInteger.valueOf(random.nextLong(bound.longValueExact()));
    }
    int bits = bound.bitLength();
    while (true) {
      BigInteger r = BigInteger.ZERO;
      for (int have = 0; have < bits; have += 64) {
        r = r.shiftLeft(64).or(new BigInteger(1, longBytes(random.nextLong())));
      }
      // Keep exactly `bits` uniform bits, so a draw is accepted with probability above one half.
      r = r.shiftRight((bits + 63) / 64 * 64 - bits);
      if (r.compareTo(bound) < 0) {
        return r;
      }
    }
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }
}
