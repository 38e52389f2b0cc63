package dev.cohort.core.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SHA-256 digests as lower-case hex, the form provenance records use: of text, and of a
 * simulation's turns. Stores record {@link #ofTurns} when a simulation finishes; {@code cohort
 * batches verify} computes it again to show whether the stored transcript changed since.
 */
public final class TurnsDigest {
  /** A SHA-256 digest never updated, cloned for each use; null where the provider's does not clone. */
  private static final @Nullable MessageDigest PROTOTYPE = prototype();

  private TurnsDigest() {}

  /** The SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits. */
  public static String sha256(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The SHA-256 of the turns, in order: every field of every turn (round, turn number, speaker id
   * and name, thought, text), each length-prefixed so that no two different transcripts share an
   * encoding.
   */
  public static String ofTurns(List<Turn> turns) {
    MessageDigest sha = digest();
    for (Turn t : turns) {
      field(sha, Integer.toString(t.round()));
      field(sha, Integer.toString(t.turnNumber()));
      field(sha, t.speakerId());
      field(sha, t.speakerName());
      field(sha, t.thought());
      field(sha, t.text());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void field(MessageDigest sha, @Nullable String value) {
    if (value == null) {
      sha.update("-1:".getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
  }

  private static MessageDigest digest() {
    // A clone of a fresh prototype: getInstance looks the provider up each time, which cost more
    // than hashing a short transcript (it runs under the in-memory store's lock on every finish).
    if (PROTOTYPE != null) {
      try {
        return (MessageDigest) PROTOTYPE.clone();
      } catch (CloneNotSupportedException e) {
        // Not every provider's digest clones; look one up instead.
      }
    }
    return newDigest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static @Nullable MessageDigest prototype() {
    MessageDigest digest = newDigest();
    try {
      digest.clone();
      return digest;
    } catch (CloneNotSupportedException e) {
      return null;
    }
  }
}
