package dev.cohort.core.internal.provenance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.internal.codec.CacheEntryJson;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.port.CacheEntry;
import dev.cohort.core.port.ResponseCache;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves response-cache entries in and out as JSON Lines, one {@link CacheEntryJson} object per
 * line: the shareable cache file. Exports stream; imports check each entry's seal and skip (with a
 * warning) those that fail it.
 */
public final class CacheTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(CacheTransfer.class);

  /**
   * What an import did.
   *
   * @param imported entries stored
   * @param rejected entries skipped because they failed their seal
   */
  public record Imported(long imported, long rejected) {}

  private CacheTransfer() {}

  /** Writes every entry the batch used, once each; returns how many. */
  public static long export(ResponseCache cache, String batchId, OutputStream out) {
    long[] count = {0};
    try (JsonGenerator gen = JsonText.createGenerator(out)) {
      cache.forEachUsedBy(batchId, entry -> {
        try {
          CacheEntryJson.write(gen, entry);
          gen.writeRaw('\n');
          count[0]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("writing the cache of batch " + batchId + " failed: " + e.getMessage(), e);
    }
    return count[0];
  }

  /**
   * Stores every intact entry of the JSON Lines in {@code in} (blank lines skipped), replacing
   * entries with the same key.
   *
   * @throws ValidationException on the field {@code line N} when a line is not a cache entry
   */
  public static Imported importFrom(ResponseCache cache, InputStream in) {
    long imported = 0;
    long rejected = 0;
    int lineNumber = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        CacheEntry entry;
        try {
          JsonNode node = JsonText.parse(line.getBytes(StandardCharsets.UTF_8), "line " + lineNumber);
          entry = CacheEntryJson.read(node);
        } catch (IllegalArgumentException e) {
          throw new ValidationException("line " + lineNumber, e.getMessage());
        }
        if (!entry.isIntact()) {
          LOG.warn("cache entry {} on line {} does not match its SHA-256 (it was changed or corrupted); skipped",
              entry.key(), lineNumber);
          rejected++;
          continue;
        }
        cache.put(entry);
        imported++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the cache file failed at line " + lineNumber + ": " + e.getMessage(), e);
    }
    return new Imported(imported, rejected);
  }
}
