package dev.cohort.testkit.architecture.bad.core.internal.codec;

/** Fixture: an internal class of the fake core. */
public final class Codec {
  private Codec() {}

  /** Encodes a text. */
  public static String encode(String text) {
    return "\"" + text + "\"";
  }
}
