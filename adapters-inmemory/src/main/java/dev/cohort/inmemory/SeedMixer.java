package dev.cohort.inmemory;

/**
 * Counter-based pseudo-random numbers: the value for (seed, counter) is a pure function of both,
 * so any draw can be recomputed without replaying the ones before it, and concurrent callers need
 * no shared generator. Built on the SplitMix64 finaliser.
 */
final class SeedMixer {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SeedMixer() {}

  /** A well-mixed 64-bit value for this seed and counter. */
  static long mix(long seed, long counter) {
    return finalise(seed + GOLDEN_GAMMA * (counter + 1));
  }

  /** A value uniform in [0, 1) for this seed and counter. */
  static double unit(long seed, long counter) {
    return (mix(seed, counter) >>> 11) * 0x1.0p-53;
  }

  /** A value uniform in [0, bound) for this seed and counter; {@code bound} must be positive. */
  static int below(long seed, long counter, int bound) {
    return (int) Math.floorMod(mix(seed, counter), (long) bound);
  }

  /** A stable 64-bit hash of {@code text} (FNV-1a over its UTF-16 units, then mixed). */
  static long hash(String text) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001B3L;
    }
    return finalise(h);
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
